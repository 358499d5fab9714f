//! The MySQL tutorial's client loop in a browser terminal: `kubectl run -it`
//! waits for its pod while the learner moves the clock, then streams one
//! table a second, each from whichever server `mysql-read` sent the
//! connection to.

use stsplay::playground::{Mode, Playground};
use stsplay::sim::clock::SECOND;

#[test]
fn the_client_loop_reads_from_every_server_in_turn() {
    let mut pg = Playground::new(1, 2, Mode::Interactive);
    let manifest = std::fs::read_to_string("tests/transcripts/mysql.yaml").expect("the manifest");
    pg.files.insert("mysql.yaml".into(), manifest);
    pg.run(1, "kubectl apply -f mysql.yaml");
    assert!(pg.settle(), "the three servers settle");
    pg.run(
        1,
        "kubectl run mysql-client-loop --image=mysql:5.7 -i -t --rm --restart=Never -- bash -ic \"while sleep 1; do mysql -h mysql-read -e 'SELECT @@server_id,NOW()'; done\"",
    );
    assert!(pg.terminals[1].is_busy(), "kubectl waits for its pod");
    pg.advance(30 * SECOND);
    let before = pg.terminals[1].text().matches("| @@server_id |").count();
    pg.advance(6 * SECOND);
    let text = pg.terminals[1].text();
    assert!(
        text.matches("| @@server_id |").count() >= before + 5,
        "a table a second: {text}"
    );
    for id in ["100", "101", "102"] {
        assert!(
            text.contains(&format!("|         {id} | 2026-01-05 ")),
            "server {id}: {text}"
        );
    }
    pg.interrupt(1);
    assert!(!pg.terminals[1].is_busy());
}
