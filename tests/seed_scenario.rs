//! The seed tutorial's first scenario, end to end through the playground:
//! one terminal watches, the other applies, and pods come up in order.

use stsplay::playground::{LineKind, Playground};

fn watch_rows(playground: &Playground) -> Vec<String> {
    playground.terminals[0]
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Out)
        .map(|l| l.text.clone())
        .collect()
}

fn first_index(rows: &[String], pod: &str, status: &str) -> Option<usize> {
    rows.iter().position(|r| {
        let cells: Vec<&str> = r.split_whitespace().collect();
        cells.first() == Some(&pod) && cells.get(2) == Some(&status)
    })
}

#[test]
fn pods_come_up_in_order_in_the_watch_terminal() {
    let mut playground = Playground::tutorial(1);
    assert_eq!(playground.run(1, "kubectl apply -f statefulset.yaml"), 0);
    assert_eq!(
        playground.terminals[1].text(),
        "$ kubectl apply -f statefulset.yaml\nservice/nginx created\nstatefulset.apps/web created\n"
    );
    assert!(playground.settle(), "a healthy StatefulSet settles");

    let rows = watch_rows(&playground);
    // kubectl flushes the header with the first row (web-0 Pending), before
    // any wider STATUS such as ContainerCreating is known.
    assert_eq!(rows[0], "NAME    READY   STATUS    RESTARTS   AGE");
    let pending = first_index(&rows, "web-0", "Pending").expect("web-0 Pending");
    let creating =
        first_index(&rows, "web-0", "ContainerCreating").expect("web-0 ContainerCreating");
    let running = first_index(&rows, "web-0", "Running").expect("web-0 Running");
    let web1 = rows
        .iter()
        .position(|r| r.starts_with("web-1"))
        .expect("web-1 appears");
    assert!(
        pending < creating && creating < running && running < web1,
        "{rows:#?}"
    );
    assert!(
        first_index(&rows, "web-1", "Running").is_some(),
        "{rows:#?}"
    );
}

#[test]
fn the_same_seed_gives_the_same_transcript() {
    let script = "kubectl apply -f statefulset.yaml\nkubectl get pods -w\nkubectl get pvc\n";
    let run = |seed| Playground::new(seed, 1, stsplay::playground::Mode::Script).run_script(script);
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8), "volume names come from the seed");
}

#[test]
fn step_moves_one_visible_change_at_a_time() {
    let mut playground = Playground::tutorial(3);
    playground.run(1, "kubectl apply -f statefulset.yaml");
    let before = playground.cluster.store().resource_version();
    assert!(playground.step());
    assert!(playground.cluster.store().resource_version() > before);
}
