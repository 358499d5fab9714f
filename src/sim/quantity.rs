//! Resource quantities (`100m`, `1Gi`, `2`) read as apimachinery's
//! `resource.ParseQuantity` reads them (k8s.io/apimachinery v0.34,
//! `pkg/api/resource`): with its error texts, in the canonical form the
//! apiserver stores and prints (`0.5Gi` → `512Mi`), and as numbers for the
//! sums and comparisons the scheduler (does a pod fit) and describe (QoS
//! class, node allocations) make.
//!
//! Values are exact, `digits × 10^exponent` in 128 bits, never floats. That
//! width is the one limit where apimachinery has big integers: a quantity
//! with more significant digits than 128 bits hold (38 always fit), or a
//! binary one (`Ki`…`Ei`) with more than 47 decimals, has no value here and
//! is stored as written; no resource comes near either. Go's int32 exponent
//! arithmetic, which wraps near `e±2147483647`, is not copied.

/// Thousandths of the base unit (millicores, millibytes).
pub type Milli = i128;

pub const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const BAD_SUFFIX: &str = "unable to parse quantity's suffix";
pub const BAD_NUMBER: &str = "unable to parse numeric part of quantity";

const BINARY: [(&str, u32); 6] = [
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];
const DECIMAL: [(&str, i64); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

/// Nanos, the finest unit a quantity keeps: ParseQuantity rounds finer
/// values away from zero to it, so a request for any amount gets some.
const NANO: i64 = -9;
/// ParseQuantity caps a binary quantity's magnitude, silently, at int64's.
const MAX_BINARY_NANOS: u128 = i64::MAX as u128 * 1_000_000_000;

/// What validation needs to know about a quantity: its sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Negative,
    Zero,
    Positive,
}

/// The quantity's sign, or Go's error text for text that is not one.
pub fn sign(text: &str) -> Result<Sign, &'static str> {
    let read = read(text)?;
    let zero = read
        .whole
        .bytes()
        .chain(read.fraction.bytes())
        .all(|b| b == b'0');
    Ok(match (zero, read.negative) {
        (true, _) => Sign::Zero,
        (false, true) => Sign::Negative,
        (false, false) => Sign::Positive,
    })
}

/// The text the apiserver stores for a quantity (Quantity's UnmarshalJSON,
/// then MarshalJSON); None if it is not one.
pub fn canonical(text: &str) -> Option<String> {
    let text = text.trim();
    let read = read(text).ok()?;
    if read.already_canonical() {
        // ParseQuantity keeps such text as written, sign and all (`+1Ki`).
        return Some(text.to_string());
    }
    read.amount()?.canonical()
}

/// Parses a quantity into thousandths, rounded half away from zero; None if
/// it is not one.
pub fn parse(text: &str) -> Option<Milli> {
    Some(read(text.trim()).ok()?.amount()?.milli())
}

/// Whether a quantity was written with a binary suffix (`Mi`), which
/// decides how a sum is printed.
pub fn is_binary(text: &str) -> bool {
    BINARY.iter().any(|(s, _)| text.ends_with(s))
}

/// A value in canonical form: the largest suffix that divides it evenly.
pub fn format(value: Milli, binary: bool) -> String {
    if value == 0 {
        return "0".to_string();
    }
    if value % 1000 != 0 {
        return format!("{value}m");
    }
    let units = value / 1000;
    if binary {
        let sign = if units < 0 { "-" } else { "" };
        return format!("{sign}{}", base1024(units.unsigned_abs()));
    }
    for (suffix, exp) in DECIMAL.iter().rev().filter(|(_, e)| *e > 0) {
        let unit: Milli = 10i128.pow(*exp as u32);
        if units % unit == 0 {
            return format!("{}{suffix}", units / unit);
        }
    }
    units.to_string()
}

/// How a quantity is written, which its canonical text keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// `12M`, `500m`, `3`
    DecimalSi,
    /// `12Mi`
    BinarySi,
    /// `12e6`
    DecimalExponent,
}

/// A quantity's text as ParseQuantity splits and reads it.
#[derive(Debug)]
struct Read<'a> {
    negative: bool,
    /// The integer digits without leading zeros, `"0"` when none are left.
    whole: &'a str,
    fraction: &'a str,
    format: Format,
    /// The suffix's power of ten, or of two for a binary one.
    exponent: i64,
    /// Whether ParseQuantity takes its int64 fast path: few digits, nothing
    /// finer than nano.
    fast: bool,
}

/// parseQuantityString's split, then the suffix's meaning.
fn read(text: &str) -> Result<Read<'_>, &'static str> {
    if text.is_empty() {
        return Err(FORMAT_WRONG);
    }
    let bytes = text.as_bytes();
    let negative = bytes[0] == b'-';
    let mut pos = usize::from(matches!(bytes[0], b'-' | b'+'));
    while bytes.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos == bytes.len() {
        // Only zeros: Go returns before it looks for a suffix.
        return Ok(Read {
            negative,
            whole: "0",
            fraction: "",
            format: Format::DecimalSi,
            exponent: 0,
            fast: true,
        });
    }
    let digits_end = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let end = digits_end(pos);
    let whole = if end == pos { "0" } else { &text[pos..end] };
    pos = end;
    let mut fraction = "";
    if bytes.get(pos) == Some(&b'.') {
        let end = digits_end(pos + 1);
        fraction = &text[pos + 1..end];
        pos = end;
    }
    let (number, suffix) = text.split_at(pos);
    let letters = suffix.trim_start_matches(|c| "eEinumkKMGTP".contains(c));
    let power = letters.strip_prefix(['+', '-']).unwrap_or(letters);
    if !power.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FORMAT_WRONG);
    }
    let (format, exponent) = interpret(suffix).ok_or(BAD_SUFFIX)?;
    let digits = (whole.len() + fraction.len()) as i64;
    let fast = match format {
        Format::BinarySi => {
            // About 3 decimal digits per 10 bits of the suffix.
            fraction.is_empty() && 14 - digits - exponent * 3 / 10 >= 0
        }
        _ => digits <= 18 && exponent - fraction.len() as i64 >= NANO,
    };
    // The slow path reads the number as inf.Dec does, which needs a digit.
    if !fast && !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(BAD_NUMBER);
    }
    Ok(Read {
        negative,
        whole,
        fraction,
        format,
        exponent,
        fast,
    })
}

/// suffix.go's interpret: the format and exponent a suffix stands for.
fn interpret(suffix: &str) -> Option<(Format, i64)> {
    if let Some((_, exponent)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
        return Some((Format::DecimalSi, *exponent));
    }
    if let Some((_, shift)) = BINARY.iter().find(|(s, _)| *s == suffix) {
        return Some((Format::BinarySi, i64::from(*shift)));
    }
    let exponent: i64 = suffix.strip_prefix(['e', 'E'])?.parse().ok()?;
    // Go narrows the exponent to int32 as it reads it.
    Some((Format::DecimalExponent, i64::from(exponent as i32)))
}

impl Read<'_> {
    /// ParseQuantity's fast path keeps the text as written when its digits
    /// are already what canonical form would print: a binary number not
    /// divisible by 8, or a decimal one with a multiple-of-3 exponent,
    /// neither leading zero nor three trailing ones.
    fn already_canonical(&self) -> bool {
        if !self.fast {
            return false;
        }
        if self.format == Format::BinarySi {
            return self.whole.parse::<u64>().is_ok_and(|n| n & 7 != 0);
        }
        let scale = self.exponent - self.fraction.len() as i64;
        scale % 3 == 0
            && !self.whole.starts_with('0')
            && !format!("{}{}", self.whole, self.fraction).ends_with("000")
    }

    /// The value ParseQuantity keeps: rounded away from zero to nanos, a
    /// binary one capped, and one below 1 no longer binary.
    fn amount(&self) -> Option<Amount> {
        let decimal_exponent = match self.format {
            Format::BinarySi => 0,
            _ => self.exponent,
        };
        let written = Decimal::read(self.whole, self.fraction, decimal_exponent)?;
        let (magnitude, format) = if self.format == Format::BinarySi {
            let nanos = written.binary_nanos(self.exponent as u32)?;
            let format = match nanos {
                1..1_000_000_000 => Format::DecimalSi,
                _ => Format::BinarySi,
            };
            (Decimal::nanos(nanos), format)
        } else {
            (written.round_up_to_nano(), self.format)
        };
        Some(Amount {
            negative: self.negative && magnitude.digits != 0,
            magnitude,
            format,
        })
    }
}

/// An exact magnitude: `digits × 10^exponent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Decimal {
    digits: u128,
    exponent: i64,
}

impl Decimal {
    /// `whole.fraction × 10^exponent`, trailing zeros moved to the exponent.
    fn read(whole: &str, fraction: &str, exponent: i64) -> Option<Decimal> {
        let written = format!("{whole}{fraction}");
        let significant = written.trim_start_matches('0');
        let digits = significant.trim_end_matches('0');
        let zeros = (significant.len() - digits.len()) as i64;
        Some(Decimal {
            digits: if digits.is_empty() {
                0
            } else {
                digits.parse().ok()?
            },
            exponent: exponent - fraction.len() as i64 + zeros,
        })
    }

    fn nanos(digits: u128) -> Decimal {
        Decimal {
            digits,
            exponent: NANO,
        }
    }

    fn round_up_to_nano(self) -> Decimal {
        if self.exponent >= NANO || self.digits == 0 {
            return self;
        }
        // A divisor past 128 bits leaves the one nano a non-zero value gets.
        let digits = pow10(NANO - self.exponent).map_or(1, |p| self.digits.div_ceil(p));
        Decimal::nanos(digits)
    }

    /// `self × 2^shift` in nanos, rounded away from zero and capped as a
    /// binary quantity is; None past 128 bits of decimals.
    fn binary_nanos(self, shift: u32) -> Option<u128> {
        let scale = self.exponent - NANO;
        let nanos = if scale >= 0 {
            pow10(scale)
                .and_then(|p| self.digits.checked_mul(p))
                .and_then(|n| n.checked_mul(1 << shift))
                // Past 128 bits is past the cap too.
                .unwrap_or(u128::MAX)
        } else {
            mul_pow2_div_ceil(self.digits, shift, pow10(-scale)?)
        };
        Some(nanos.min(MAX_BINARY_NANOS))
    }

    /// The value if it is a whole number.
    fn whole(self) -> Option<u128> {
        if self.exponent >= 0 {
            return self.digits.checked_mul(pow10(self.exponent)?);
        }
        let unit = pow10(-self.exponent)?;
        self.digits
            .is_multiple_of(unit)
            .then_some(self.digits / unit)
    }

    /// AsCanonicalBytes: no trailing zeros, then the exponent lowered to a
    /// multiple of 3 so that a suffix can name it.
    fn canonical(self) -> Option<(u128, i64)> {
        let (mut digits, mut exponent) = (self.digits, self.exponent);
        while digits % 10 == 0 {
            digits /= 10;
            exponent += 1;
        }
        let lower = exponent.rem_euclid(3);
        Some((digits.checked_mul(pow10(lower)?)?, exponent - lower))
    }
}

fn pow10(exponent: i64) -> Option<u128> {
    10u128.checked_pow(u32::try_from(exponent).ok()?)
}

/// `ceil(value × 2^shift / divisor)` without overflowing on the way: binary
/// long division, doubling the remainder once per bit. Saturates at
/// `u128::MAX`, which is past the binary cap anyway.
fn mul_pow2_div_ceil(value: u128, shift: u32, divisor: u128) -> u128 {
    let (mut quotient, mut remainder) = (value / divisor, value % divisor);
    for _ in 0..shift {
        quotient = quotient.saturating_mul(2);
        // remainder < divisor ≤ 10^38, so doubling it stays in 128 bits.
        remainder *= 2;
        if remainder >= divisor {
            remainder -= divisor;
            quotient = quotient.saturating_add(1);
        }
    }
    quotient.saturating_add(u128::from(remainder != 0))
}

/// A quantity's value as ParseQuantity leaves it.
#[derive(Debug)]
struct Amount {
    negative: bool,
    magnitude: Decimal,
    format: Format,
}

impl Amount {
    /// CanonicalizeBytes: a binary quantity in base 1024 when it is a whole
    /// number of at least 1024, anything else in its decimal form.
    fn canonical(&self) -> Option<String> {
        if self.magnitude.digits == 0 {
            return Some("0".to_string());
        }
        let sign = if self.negative { "-" } else { "" };
        let binary = (self.format == Format::BinarySi)
            .then(|| self.magnitude.whole())
            .flatten()
            .filter(|&units| units >= 1024);
        if let Some(units) = binary {
            return Some(format!("{sign}{}", base1024(units)));
        }
        let (digits, exponent) = self.magnitude.canonical()?;
        let suffix = match self.format {
            Format::DecimalExponent if exponent == 0 => String::new(),
            Format::DecimalExponent => format!("e{exponent}"),
            // 1.34 has no decimal suffix past E and writes none, dropping
            // the exponent: it stores "1000E" as "1".
            _ => DECIMAL
                .iter()
                .find(|(_, e)| *e == exponent)
                .map_or("", |(s, _)| *s)
                .to_string(),
        };
        Some(format!("{sign}{digits}{suffix}"))
    }

    fn milli(&self) -> Milli {
        let Decimal { digits, exponent } = self.magnitude;
        let thousandths = match u32::try_from(-3 - exponent) {
            // At most 6 digits finer, since an amount is whole nanos.
            Ok(finer) => {
                let unit = 10u128.pow(finer);
                let remainder = digits % unit;
                digits / unit + u128::from(remainder >= unit - remainder)
            }
            Err(_) => pow10(exponent + 3).map_or(u128::MAX, |p| digits.saturating_mul(p)),
        };
        let thousandths = Milli::try_from(thousandths).unwrap_or(Milli::MAX);
        if self.negative {
            -thousandths
        } else {
            thousandths
        }
    }
}

/// A whole number with the largest binary suffix that divides it
/// (AsCanonicalBase1024Bytes, for numbers of at least 1024).
fn base1024(mut units: u128) -> String {
    let mut suffix = "";
    for (binary, _) in BINARY {
        if !units.is_multiple_of(1024) {
            break;
        }
        units /= 1024;
        suffix = binary;
    }
    format!("{units}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_canonical(cases: &[(&str, &str)]) {
        for (text, want) in cases {
            assert_eq!(canonical(text).as_deref(), Some(*want), "{text}");
        }
    }

    #[test]
    fn parses_suffixes() {
        assert_eq!(parse("100m"), Some(100));
        assert_eq!(parse("2"), Some(2000));
        assert_eq!(parse("1Ki"), Some(1_024_000));
        assert_eq!(parse("1.5"), Some(1500));
        assert_eq!(parse("1e3"), Some(1_000_000));
        assert_eq!(parse("1E"), Some(1_000_000_000_000_000_000_000));
        assert_eq!(parse("0.5m"), Some(1));
        assert_eq!(parse("0.4m"), Some(0));
        assert_eq!(parse("-1.5m"), Some(-2));
        assert_eq!(parse("abc"), None);
        assert_eq!(parse("1Zi"), None);
    }

    #[test]
    fn formats_canonically() {
        assert_eq!(format(300, false), "300m");
        assert_eq!(format(2000, false), "2");
        assert_eq!(format(384 * 1024 * 1024 * 1000, true), "384Mi");
        assert_eq!(format(2_000_000, false), "2k");
        assert_eq!(format(0, true), "0");
    }

    #[test]
    fn signs_and_errors() {
        let cases = [
            ("1Gi", Ok(Sign::Positive)),
            ("500m", Ok(Sign::Positive)),
            ("0", Ok(Sign::Zero)),
            ("0Gi", Ok(Sign::Zero)),
            ("-0.0", Ok(Sign::Zero)),
            ("-1", Ok(Sign::Negative)),
            ("1e3", Ok(Sign::Positive)),
            ("1.5G", Ok(Sign::Positive)),
            // The int64 fast path reads "." as 0; the inf.Dec one refuses it.
            (".", Ok(Sign::Zero)),
            (".e-10", Err(BAD_NUMBER)),
            ("-.Pi", Err(BAD_NUMBER)),
            ("1Gb", Err(FORMAT_WRONG)),
            ("1gi", Err(FORMAT_WRONG)),
            ("abc", Err(FORMAT_WRONG)),
            ("", Err(FORMAT_WRONG)),
            ("1GG", Err(BAD_SUFFIX)),
            ("1e", Err(BAD_SUFFIX)),
            ("1 Gi", Err(FORMAT_WRONG)),
            // TestQuantityParse's invalid list.
            ("1.1.M", Err(FORMAT_WRONG)),
            ("1+1.0M", Err(FORMAT_WRONG)),
            ("0.1mi", Err(BAD_SUFFIX)),
            ("0.1am", Err(FORMAT_WRONG)),
            ("aoeu", Err(FORMAT_WRONG)),
            (".5i", Err(BAD_SUFFIX)),
            ("1i", Err(BAD_SUFFIX)),
            ("-3.01i", Err(BAD_SUFFIX)),
            ("-3.01e-", Err(BAD_SUFFIX)),
            (" 1", Err(FORMAT_WRONG)),
            ("1 ", Err(FORMAT_WRONG)),
        ];
        for (text, want) in cases {
            assert_eq!(sign(text), want, "{text}");
        }
    }

    /// apimachinery v0.34's tests in pkg/api/resource/quantity_test.go:
    /// TestQuantityParseEmit, and the inputs of TestQuantityParse (which
    /// compares values) with the text the parsed Quantity marshals to.
    #[test]
    fn canonical_as_apimachinery_tests_have_it() {
        let cases = [
            // TestQuantityParseEmit
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
            // TestQuantityParse
            ("0", "0"),
            ("0n", "0"),
            ("0Ki", "0"),
            ("0T", "0"),
            ("1", "1"),
            ("8Ki", "8Ki"),
            ("7Mi", "7Mi"),
            ("6Gi", "6Gi"),
            ("5Ti", "5Ti"),
            ("4Pi", "4Pi"),
            ("3Ei", "3Ei"),
            ("10Ti", "10Ti"),
            ("100Ti", "100Ti"),
            ("5n", "5n"),
            ("4u", "4u"),
            ("3m", "3m"),
            ("9", "9"),
            ("8k", "8k"),
            ("50k", "50k"),
            ("7M", "7M"),
            ("6G", "6G"),
            ("5T", "5T"),
            ("40T", "40T"),
            ("300T", "300T"),
            ("2P", "2P"),
            ("1E", "1E"),
            ("1E-3", "1E-3"),
            ("1e3", "1e3"),
            ("1E6", "1E6"),
            ("1e9", "1e9"),
            ("1E12", "1E12"),
            ("1e15", "1e15"),
            ("1E18", "1E18"),
            ("1e14", "100e12"),
            ("1e13", "10e12"),
            // Kept as written: the fast path sees canonical digits.
            ("100.035k", "100.035k"),
            ("0.001", "1m"),
            ("0.0005k", "500m"),
            ("0.005", "5m"),
            ("0.05", "50m"),
            ("0.5", "500m"),
            ("0.00050k", "500m"),
            ("0.00500", "5m"),
            ("0.05000", "50m"),
            ("0.50000", "500m"),
            ("0.5e0", "500e-3"),
            ("0.5e-1", "50e-3"),
            ("0.5e-2", "5e-3"),
            ("10.035M", "10.035M"),
            ("1.2e3", "1200"),
            ("1.3E+6", "1300e3"),
            ("1.40e9", "1400e6"),
            ("1.53E12", "1530e9"),
            ("1.6e15", "1600e12"),
            ("1.7E18", "1700e15"),
            ("9.01", "9010m"),
            ("8.1k", "8100"),
            ("7.123456M", "7.123456M"),
            ("6.987654321G", "6.987654321G"),
            ("5.444T", "5.444T"),
            ("40.1T", "40100G"),
            ("300.2T", "300200G"),
            ("2.5P", "2500T"),
            ("1.01E", "1010P"),
            ("3.001n", "4n"),
            ("1.1E-9", "2e-9"),
            ("0.0000000001", "1n"),
            ("0.0000000005", "1n"),
            ("0.00000000050", "1n"),
            ("0.5e-9", "1e-9"),
            ("0.9n", "1n"),
            ("0.00000012345", "124n"),
            ("0.00000012354", "124n"),
            ("9Ei", "9223372036854775807"),
            ("9223372036854775807Ki", "9223372036854775807"),
            ("12E", "12E"),
            ("100.035Ki", "102435840m"),
            ("0.5Mi", "512Ki"),
            ("0.05Gi", "53687091200m"),
            ("0.025Ti", "27487790694400m"),
            ("0.000000000001Ki", "2n"),
            (".001", "1m"),
            (".0001k", "100m"),
            ("1.", "1."),
            ("1.G", "1.G"),
        ];
        for (text, want) in cases {
            assert_eq!(canonical(text).as_deref(), Some(want), "{text}");
            if want != "0" {
                assert_eq!(
                    canonical(&format!("-{text}")),
                    Some(format!("-{want}")),
                    "-{text}"
                );
            }
        }
    }

    /// TestQuantityString's alternates (a text and the canonical one it
    /// prints), TestJSONWhitespace, and the examples of Quantity's comment.
    #[test]
    fn canonical_rewrites_what_is_not() {
        let cases = [
            ("1024Mi", "1Gi"),
            ("307200Ki", "300Mi"),
            ("1025024Mi", "1001Gi"),
            ("1024Gi", "1Ti"),
            ("5000m", "5"),
            ("0.5", "500m"),
            ("1000M", "1G"),
            ("0.001T", "1G"),
            ("1000u", "1m"),
            ("1.08", "1080m"),
            ("1080000000n", "1080m"),
            (".001e12", "1e9"),
            ("0.001e0", "1e-3"),
            ("1000e-12", "1e-9"),
            ("00", "0"),
            (" 1", "1"),
            ("1 ", "1"),
            ("1.5", "1500m"),
            ("1.5Gi", "1536Mi"),
        ];
        assert_canonical(&cases);
    }

    /// TestParseQuantity (apimachinery after v0.34, same parser): values
    /// past int64, each with the text it reserializes to.
    #[test]
    fn canonical_past_int64() {
        let cases = [
            ("999999999999999999", "999999999999999999"),
            ("999999999999999999.1", "999999999999999999100m"),
            ("9999999999999999999", "9999999999999999999"),
            ("1000000000000000000", "1E"),
            ("1.0E", "1E"),
            ("9999999999999999999000m", "9999999999999999999"),
            ("1.0000000000000000001E", "1000000000000000000100m"),
            ("1.000000000000000001E", "1000000000000000001"),
            ("10E", "10E"),
            ("10000000000000000000", "10E"),
            ("10000000000000000000000m", "10E"),
            ("10.0000000000000000001E", "10000000000000000000100m"),
            ("10000000000000000001", "10000000000000000001"),
            ("9223372036854775808.1", "9223372036854775808100m"),
            ("-9223372036854775809", "-9223372036854775809"),
            ("-9223372036854775808000m", "-9223372036854775808"),
        ];
        assert_canonical(&cases);
    }

    /// What kubectl users write, as a 1.34 apiserver stores it.
    #[test]
    fn canonical_of_everyday_quantities() {
        let cases = [
            ("0.3", "300m"),
            ("1000m", "1"),
            ("0.5Gi", "512Mi"),
            ("1000", "1k"),
            ("1500000", "1500k"),
            ("1.5Ki", "1536"),
            ("512Ki", "512Ki"),
            ("0.5Ki", "512"),
            ("1.5e3", "1500"),
            ("0Gi", "0"),
            ("-0", "0"),
            ("-1.5Gi", "-1536Mi"),
            ("12e6", "12e6"),
            ("123456789n", "123456789n"),
            ("1.0001Ki", "1024102400u"),
            ("0.1", "100m"),
            // Written canonically already, so kept as written.
            ("+1Ki", "+1Ki"),
            ("1.500", "1.500"),
            ("1e+3", "1e+3"),
            // Past E there is no suffix, and 1.34 drops the exponent.
            ("1000E", "1"),
            ("1e-1000", "1e-9"),
            ("1e1000", "10e999"),
        ];
        assert_canonical(&cases);
        for text in ["", "1Gb", "1 Gi", "abc", "."] {
            assert_eq!(canonical(text), (text == ".").then(|| "0".to_string()));
        }
    }
}
