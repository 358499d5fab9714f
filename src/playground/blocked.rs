//! A blocking command typed on its own in a browser terminal (a kubectl
//! command that waits, or `sleep`): it holds the terminal while the clock
//! moves, as it holds a real one, and ends when what it waits for happens,
//! at its `--timeout` or its time, or at Ctrl+C (see `kubectl::waiting`).

use super::Terminal;
use crate::kubectl;
use crate::kubectl::exec::Attach;
use crate::shell;
use crate::sim::clock::Millis;
use crate::sim::Cluster;

/// A blocking command that holds its terminal.
#[derive(Clone, Debug)]
pub struct Blocked {
    pub command: String,
    pub(super) hold: Hold,
    /// The exit status of what the command did before it began to wait.
    pub(super) code: i32,
}

/// What a blocked terminal waits for.
#[derive(Clone, Debug)]
pub(super) enum Hold {
    Kubectl(Box<kubectl::Waiting>),
    /// `sleep`, until the clock reads this time; `sleep infinity` until Ctrl+C.
    Sleep(Option<Millis>),
}

impl Blocked {
    /// Checks the command against the cluster as it is now and prints what
    /// it prints meanwhile; its exit status once it is done. Only kubectl's
    /// own timeout ends it: without one it waits until Ctrl+C, as kubectl does.
    pub(super) fn poll(&mut self, cluster: &mut Cluster, term: &mut Terminal) -> Option<i32> {
        let waiting = match &mut self.hold {
            Hold::Sleep(until) => {
                return until
                    .is_some_and(|at| cluster.now() >= at)
                    .then_some(self.code)
            }
            Hold::Kubectl(waiting) => waiting,
        };
        let mut out = kubectl::Output::default();
        out.code = self.code;
        let mut done = waiting.check(cluster, &mut out);
        let deadline = waiting.deadline();
        if !done && deadline.kubectl && cluster.now() >= deadline.at {
            done = waiting.expire(cluster, &mut out);
        }
        term.print_output(&out);
        if done {
            // run -i, attach and debug -i attach the terminal once they are done waiting.
            match waiting.take_attach() {
                Some(Attach::Shell(attached)) => term.session = Some(attached),
                Some(Attach::Logs(follow)) => term.follow = Some((self.command.clone(), follow)),
                Some(Attach::Editor(_)) | None => {}
            }
        }
        done.then_some(out.code)
    }

    /// Whether this is `sleep`, which waits for the clock alone.
    pub fn sleeps(&self) -> bool {
        matches!(self.hold, Hold::Sleep(_))
    }

    /// When the command acts by its own clock, whatever the cluster does.
    pub(super) fn wake_at(&self) -> Option<Millis> {
        match &self.hold {
            Hold::Kubectl(waiting) => waiting.wake_at(),
            Hold::Sleep(until) => *until,
        }
    }
}

/// Whether the line is one plain command: no list, pipe, `!`, `&`,
/// redirection or compound command waits on what it does, so a blocking
/// command may leave its waiting to the terminal.
pub(super) fn is_one_command(script: &shell::ast::Script) -> bool {
    use shell::ast::{Command, Item};
    match script.items.as_slice() {
        [Item {
            list,
            background: false,
        }] => {
            list.rest.is_empty()
                && !list.first.negate
                && matches!(list.first.commands.as_slice(), [Command::Simple(simple)] if simple.redirects.is_empty())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::playground::{Mode, Playground};
    use crate::sim::clock::SECOND;
    use crate::sim::Kind;

    /// The tutorial's two replicas, Running, with terminal 0 watching them.
    fn watched() -> Playground {
        let mut pg = Playground::new(1, 2, Mode::Interactive);
        pg.run(1, "kubectl apply -f statefulset.yaml");
        pg.settle();
        pg.run(0, "kubectl get pods --watch -l app=nginx");
        pg
    }

    #[test]
    fn a_delete_typed_alone_waits_while_the_clock_moves() {
        let mut pg = watched();
        let (now, rows) = (pg.cluster.now(), pg.terminals[0].lines.len());
        pg.run(1, "kubectl delete pod web-1");
        // The deletion is made, but the clock is the learner's.
        assert_eq!(pg.cluster.now(), now);
        assert!(pg.terminals[1].is_busy());
        assert_eq!(pg.terminals[1].running(), Some("kubectl delete pod web-1"));
        assert!(pg.terminals[1]
            .text()
            .ends_with("pod \"web-1\" deleted from default namespace\n"));
        assert!(pg.idle_terminal(1).is_none(), "both terminals are busy");
        // Each step shows in the watch as it happens, until the pod is gone.
        let mut steps = 0;
        while pg.terminals[1].is_busy() && steps < 100 {
            pg.step();
            steps += 1;
        }
        assert!(steps > 1, "the termination took {steps} steps");
        assert!(pg.terminals[0].lines.len() > rows + 1);
        assert_eq!(pg.terminals[1].shell.status, 0);
        // The next line runs at once.
        assert_eq!(pg.run(1, "echo $?"), 0);
        assert!(pg.terminals[1].text().ends_with("\n0\n"));
    }

    #[test]
    fn run_it_typed_alone_waits_for_its_pod_while_the_clock_moves_then_attaches() {
        let mut pg = watched();
        pg.interrupt(0);
        pg.run(0, "kubectl get pods --watch");
        let now = pg.cluster.now();
        let line = "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm";
        pg.run(1, line);
        assert_eq!(pg.cluster.now(), now, "the clock is the learner's");
        assert_eq!(pg.terminals[1].running(), Some(line));
        assert!(pg.terminals[1].session.is_none());
        // The watch shows the pod come up, one step at a time.
        let mut steps = 0;
        while pg.terminals[1].session.is_none() && steps < 100 {
            assert!(pg.step());
            steps += 1;
        }
        assert!(steps > 3, "it attached after {steps} steps");
        let watch = pg.terminals[0].text();
        for row in [
            "0/1     Pending",
            "0/1     ContainerCreating",
            "1/1     Running",
        ] {
            assert!(
                watch.contains(&format!("dns-test   {row}")),
                "{row}: {watch}"
            );
        }
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.terminals[1]
            .text()
            .ends_with("If you don't see a command prompt, try pressing enter.\n"));
        assert_eq!(pg.prompt_of(1), "/ # ");
        pg.run(1, "nslookup web-0.nginx");
        assert!(pg.terminals[1].text().contains("Name:      web-0.nginx"));
        pg.run(1, "exit");
        pg.settle();
        assert!(pg.terminals[1]
            .text()
            .ends_with("pod \"dns-test\" deleted from default namespace\n"));
        // Ctrl+C stops a wait for a pod that cannot start.
        pg.run(
            1,
            "kubectl run -it --image=busybox:nope oops --restart=Never",
        );
        assert!(pg.terminals[1].is_busy());
        pg.advance(30 * SECOND);
        assert!(pg.terminals[1].is_busy());
        pg.interrupt(1);
        assert_eq!(pg.terminals[1].shell.status, 130);
    }

    #[test]
    fn run_it_rm_waits_for_its_pod_to_finish_after_the_shell_exits_then_deletes_it() {
        let mut pg = watched();
        let line = "kubectl run -it --rm --image busybox:1.28 dns-test --restart=Never -- sh";
        pg.run(1, line);
        pg.settle();
        assert_eq!(pg.prompt_of(1), "/ # ");
        let now = pg.cluster.now();
        pg.run(1, "exit");
        // kubectl still holds the terminal: the clock is the learner's.
        assert_eq!(pg.cluster.now(), now);
        assert!(pg.terminals[1].session.is_none());
        assert_eq!(pg.terminals[1].running(), Some("kubectl run dns-test"));
        assert!(!pg.terminals[1].text().contains("deleted"));
        let pod = |pg: &Playground| {
            pg.cluster
                .store()
                .get_named(Kind::Pod, "default", "dns-test")
                .is_some()
        };
        assert!(pod(&pg));
        let restored = Playground::restore(&pg.save()).expect("replays");
        assert_eq!(
            restored.terminals[1].running(),
            Some("kubectl run dns-test")
        );
        let mut steps = 0;
        while pg.terminals[1].is_busy() && steps < 100 {
            assert!(pg.step());
            steps += 1;
        }
        assert!(steps > 0);
        assert!(pg.terminals[1]
            .text()
            .ends_with("pod \"dns-test\" deleted from default namespace\n"));
        assert_eq!(pg.terminals[1].shell.status, 0);
        pg.settle();
        assert!(!pod(&pg));
        // In a script the exit runs the clock until the pod is gone.
        let mut script = Playground::new(1, 1, Mode::Script);
        let text = script.run_script(&format!("{line}\nexit\necho after"));
        assert!(
            text.ends_with(
                "/ # exit\npod \"dns-test\" deleted from default namespace\n$ echo after\nafter\n"
            ),
            "{text}"
        );
    }

    fn web_uid(pg: &Playground) -> Option<String> {
        let web = pg
            .cluster
            .store()
            .get_named(Kind::StatefulSet, "default", "web")?;
        Some(web.uid().to_string())
    }

    /// Foreground: the StatefulSet stays until its pods are gone.
    const REPLACE: &str = "kubectl replace --force --cascade=foreground -f statefulset.yaml";

    #[test]
    fn replace_force_typed_alone_waits_for_the_deletion_then_creates() {
        let mut pg = watched();
        let uid = web_uid(&pg).expect("created");
        let now = pg.cluster.now();
        pg.run(1, REPLACE);
        assert_eq!(pg.cluster.now(), now, "the clock is the learner's");
        assert_eq!(pg.terminals[1].running(), Some(REPLACE));
        assert!(pg.terminals[1].text().ends_with(
            "service \"nginx\" deleted from default namespace\nstatefulset.apps \"web\" deleted from default namespace\n"
        ));
        assert_eq!(web_uid(&pg), Some(uid.clone()), "still deleting");
        let mut steps = 0;
        while pg.terminals[1].is_busy() && steps < 100 {
            assert!(pg.step());
            steps += 1;
        }
        assert!(steps > 1, "the deletion took {steps} steps");
        assert!(pg.terminals[1].text().ends_with(
            "deleted from default namespace\nservice/nginx replaced\nstatefulset.apps/web replaced\n"
        ));
        assert_eq!(pg.terminals[1].shell.status, 0);
        let new = web_uid(&pg).expect("created again");
        assert_ne!(new, uid);
        // In a longer line it runs the clock itself, as before.
        pg.settle();
        pg.run(1, &format!("{REPLACE} && echo done"));
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.terminals[1]
            .text()
            .ends_with("statefulset.apps/web replaced\ndone\n"));
        assert_ne!(web_uid(&pg), Some(new));
    }

    #[test]
    fn ctrl_c_stops_replace_force_before_it_creates() {
        let mut pg = watched();
        pg.run(1, REPLACE);
        assert!(pg.terminals[1].is_busy());
        pg.interrupt(1);
        assert_eq!(pg.terminals[1].shell.status, 130);
        pg.settle();
        assert_eq!(web_uid(&pg), None, "deleted, not created again");
        let service = pg
            .cluster
            .store()
            .get_named(Kind::Service, "default", "nginx");
        assert!(service.is_none());
        assert!(!pg.terminals[1].text().contains("replaced"));
    }

    #[test]
    fn a_blocking_command_inside_a_longer_line_runs_the_clock_itself() {
        let mut pg = watched();
        let now = pg.cluster.now();
        pg.run(1, "kubectl delete pod web-1 && echo gone");
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.cluster.now() > now);
        assert!(pg.terminals[1]
            .text()
            .ends_with("deleted from default namespace\ngone\n"));
    }

    #[test]
    fn rollout_status_prints_as_the_rollout_goes_and_ctrl_c_stops_a_wait() {
        let mut pg = watched();
        pg.run(
            1,
            "kubectl patch sts web -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"v\":\"2\"}}}}}'",
        );
        pg.run(1, "kubectl rollout status sts/web");
        assert!(pg.terminals[1].is_busy());
        let waiting = pg.terminals[1].lines.len();
        pg.advance(20 * SECOND);
        let text = pg.terminals[1].text();
        assert!(pg.terminals[1].lines.len() > waiting, "{text}");
        pg.settle();
        assert!(!pg.terminals[1].is_busy());
        assert!(
            pg.terminals[1]
                .text()
                .ends_with("partitioned roll out complete: 2 new pods have been updated...\n"),
            "{}",
            pg.terminals[1].text()
        );
        // Waiting for something that does not happen: Ctrl+C, as in bash.
        pg.run(1, "kubectl wait --for=delete pod/web-0 --timeout=-1s");
        assert!(pg.terminals[1].is_busy());
        pg.advance(60 * SECOND);
        assert!(pg.terminals[1].is_busy());
        pg.interrupt(1);
        assert!(!pg.terminals[1].is_busy());
        assert_eq!(pg.terminals[1].shell.status, 130);
    }

    #[test]
    fn scripting_runs_a_blocking_command_to_its_end_and_replays_so() {
        let mut pg = watched();
        let now = pg.cluster.now();
        let printed = pg.exec(1, "kubectl delete pod web-1");
        assert_eq!(printed, "pod \"web-1\" deleted from default namespace\n");
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.cluster.now() > now);
        let restored = Playground::restore(&pg.save()).expect("replays");
        assert_eq!(restored.cluster.now(), pg.cluster.now());
        assert!(!restored.terminals[1].is_busy());
    }

    #[test]
    fn a_drain_a_budget_holds_asks_again_every_five_seconds_until_ctrl_c() {
        let mut pg = watched();
        let budget = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: strict}\nspec: {selector: {matchLabels: {app: nginx}}, minAvailable: 2}\n";
        pg.files.insert("pdb.yaml".to_string(), budget.to_string());
        pg.run(1, "kubectl apply -f pdb.yaml");
        pg.settle();
        pg.run(1, "kubectl drain kind-worker --ignore-daemonsets");
        let refusals = |pg: &Playground| {
            pg.terminals[1]
                .text()
                .matches("will retry after 5s")
                .count()
        };
        assert_eq!(refusals(&pg), 1, "{}", pg.terminals[1].text());
        let start = pg.cluster.now();
        // Step stops at kubectl's own retry, not past it.
        while pg.cluster.now() < start + 5 * SECOND {
            assert!(pg.step());
        }
        assert_eq!(pg.cluster.now(), start + 5 * SECOND);
        assert_eq!(refusals(&pg), 2);
        pg.advance(12 * SECOND);
        assert_eq!(refusals(&pg), 4);
        // The toolbar's "next change" counts the next try.
        assert_eq!(pg.next_wake(), Some(start + 20 * SECOND));
        assert!(pg.next_change() <= pg.next_wake());
        assert!(pg.terminals[1].is_busy());
        // Without a --timeout it asks on past the playground's bound for scripts.
        pg.advance(11 * 60 * SECOND);
        assert!(refusals(&pg) > 120, "{}", refusals(&pg));
        pg.interrupt(1);
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.terminals[1].text().ends_with("^C\n"));
    }

    #[test]
    fn kubectls_own_timeout_ends_the_wait() {
        let mut pg = watched();
        pg.run(
            1,
            "kubectl wait --for=condition=Ready=false pod/web-0 --timeout=5s",
        );
        assert!(pg.terminals[1].is_busy());
        pg.advance(4 * SECOND);
        assert!(pg.terminals[1].is_busy());
        pg.advance(SECOND);
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.terminals[1]
            .text()
            .ends_with("error: timed out waiting for the condition on pods/web-0\n"));
        assert_eq!(pg.terminals[1].shell.status, 1);
    }

    #[test]
    fn a_sleep_typed_alone_holds_the_terminal_until_the_clock_gets_there() {
        let mut pg = watched();
        let start = pg.cluster.now();
        pg.run(1, "sleep 1m 30s");
        assert_eq!(pg.cluster.now(), start, "the clock is the learner's");
        assert_eq!(pg.terminals[1].running(), Some("sleep 1m 30s"));
        assert!(pg.terminals[1].blocked.as_ref().is_some_and(|b| b.sleeps()));
        assert_eq!(pg.next_change(), Some(start + 90 * SECOND));
        // Step goes to the sleep's end, where the terminal is free again.
        assert!(pg.step());
        assert_eq!(pg.cluster.now(), start + 90 * SECOND);
        assert!(!pg.terminals[1].is_busy());
        assert_eq!(pg.run(1, "echo $?"), 0);
        // Inside a longer line it moves the clock itself, as before.
        pg.run(1, "sleep 10 && date +%T");
        assert_eq!(pg.cluster.now(), start + 100 * SECOND);
        assert!(!pg.terminals[1].is_busy());
        // sleep infinity waits for Ctrl+C, however far the clock goes.
        pg.run(1, "sleep infinity");
        assert_eq!(pg.next_wake(), None);
        pg.advance(48 * 60 * 60 * SECOND);
        assert!(pg.terminals[1].is_busy());
        pg.interrupt(1);
        assert_eq!(pg.terminals[1].shell.status, 130);
        // Bad operands are refused before anything waits.
        assert_eq!(pg.run(1, "sleep 5x"), 1);
        assert!(!pg.terminals[1].is_busy());
        assert!(pg.terminals[1].text().ends_with(
            "sleep: invalid time interval '5x'\nTry 'sleep --help' for more information.\n"
        ));
    }
}
