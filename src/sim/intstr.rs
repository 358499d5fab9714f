//! apimachinery's GetScaledValueFromIntOrPercent: a count or a percentage
//! (IntOrString) as a number of pods out of `total`. A PodDisruptionBudget
//! and a Deployment's maxSurge round up, a Deployment's maxUnavailable down.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub fn scaled(value: &IntOrString, total: i32, round_up: bool) -> i32 {
    match value {
        IntOrString::Int(n) => *n,
        IntOrString::String(s) => {
            let percent: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            let of = percent * i64::from(total);
            let value = if round_up { (of + 99) / 100 } else { of / 100 };
            i32::try_from(value).unwrap_or(i32::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_stay_and_percentages_round_as_asked() {
        let quarter = IntOrString::String("25%".to_string());
        assert_eq!(scaled(&quarter, 2, true), 1);
        assert_eq!(scaled(&quarter, 2, false), 0);
        assert_eq!(scaled(&IntOrString::Int(1), 2, false), 1);
    }
}
