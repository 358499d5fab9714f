//! One case per manifest rule: what `kubectl apply -f` prints (exactly) and
//! where the editor marks it.

use stsplay::kubectl::manifest::{diagnose, diagnose_file, Severity};
use stsplay::playground::{Mode, Playground};

const SET: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: nginx
  replicas: 2
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
        ports:
        - containerPort: 80
          name: web
";

/// The seed StatefulSet with one line replaced.
fn set_with(from: &str, to: &str) -> String {
    assert!(SET.contains(from), "{from}");
    SET.replacen(from, to, 1)
}

/// A fresh playground with `text` in f.yaml.
fn playground_with(text: &str) -> Playground {
    let mut playground = Playground::new(7, 1, Mode::Script);
    playground
        .files
        .insert("f.yaml".to_string(), text.to_string());
    playground
}

/// Runs `kubectl apply -f f.yaml` on a fresh playground, returns the terminal text.
fn apply(text: &str, flags: &str) -> String {
    let mut playground = playground_with(text);
    playground.run(0, &format!("kubectl apply -f f.yaml{flags}"));
    playground.terminals[0]
        .text()
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect()
}

/// (rule, manifest, expected output, first marker: line, column, message start)
type Case = (
    &'static str,
    String,
    String,
    Option<(usize, usize, &'static str)>,
);

/// Each level refers ten times to the one before: 10^7 values from 8 lines.
fn laughs() -> String {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..7 {
        let refs = vec![format!("*l{}", level - 1); 10].join(", ");
        text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
    }
    text
}

fn cases() -> Vec<Case> {
    vec![
        (
            "unknown field, with a hint",
            set_with("  replicas: 2", "  replica: 2"),
            "Error from server (BadRequest): error when creating \"f.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: strict decoding error: unknown field \"spec.replica\"\nhint: did you mean spec.replicas?\n".into(),
            Some((10, 3, "unknown field \"spec.replica\"; did you mean spec.replicas?")),
        ),
        (
            "string for int",
            set_with("- containerPort: 80", "- containerPort: \"80\""),
            "Error from server (BadRequest): error when creating \"f.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32\n".into(),
            Some((20, 26, "json: cannot unmarshal string")),
        ),
        (
            "list for map",
            set_with("      app: nginx\n  serviceName", "      - app\n  serviceName"),
            "Error from server (BadRequest): error when creating \"f.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: json: cannot unmarshal array into Go struct field LabelSelector.spec.selector.matchLabels of type map[string]string\n".into(),
            Some((8, 7, "json: cannot unmarshal array")),
        ),
        (
            "bad quantity",
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gb\n".into(),
            "Error from server (BadRequest): error when creating \"f.yaml\": PersistentVolumeClaim in version \"v1\" cannot be handled as a PersistentVolumeClaim: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n".into(),
            Some((9, 16, "quantities must match")),
        ),
        (
            "selector does not match template labels",
            set_with("        app: nginx", "        app: nginy"),
            "The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"nginy\"}: `selector` does not match template `labels`\n".into(),
            Some((13, 7, "spec.template.metadata.labels: Invalid value")),
        ),
        (
            "name must be a DNS-1123 label",
            set_with("  name: web", "  name: Web"),
            "The StatefulSet \"Web\" is invalid: metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n".into(),
            Some((4, 3, "metadata.name: Invalid value: \"Web\"")),
        ),
        (
            "several causes, one per line",
            set_with("  replicas: 2", "  replicas: -1\n  podManagementPolicy: Sometimes"),
            "The StatefulSet \"web\" is invalid: \n* spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'\n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n".into(),
            Some((10, 3, "spec.replicas: Invalid value: -1")),
        ),
        (
            "rollingUpdate only with RollingUpdate",
            set_with("  replicas: 2", "  replicas: 2\n  updateStrategy:\n    type: OnDelete\n    rollingUpdate:\n      partition: 1"),
            "The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":1,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'\n".into(),
            Some((13, 5, "spec.updateStrategy.rollingUpdate")),
        ),
        (
            "maxUnavailable cannot be 0",
            set_with("  replicas: 2", "  replicas: 2\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0"),
            "The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0\n".into(),
            Some((13, 7, "spec.updateStrategy.rollingUpdate.maxUnavailable")),
        ),
        (
            "restartPolicy must be Always",
            set_with("      containers:", "      restartPolicy: Never\n      containers:"),
            "The StatefulSet \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"\n".into(),
            Some((16, 7, "spec.template.spec.restartPolicy")),
        ),
        (
            "playground replica limit",
            set_with("  replicas: 2", "  replicas: 20000"),
            "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: 20000: stsplay simulates at most 10000 replicas (a playground limit, not a Kubernetes one)\n".into(),
            Some((10, 3, "spec.replicas")),
        ),
        (
            "headless service may not be NodePort",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n".into(),
            "The Service \"nginx\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services\n".into(),
            Some((5, 1, "spec.clusterIPs[0]")),
        ),
        (
            "claim needs access modes and storage",
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  resources: {}\n".into(),
            "The PersistentVolumeClaim \"data\" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value\n".into(),
            Some((5, 1, "spec.accessModes: Required value")),
        ),
        (
            "YAML syntax error, earlier documents applied first",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n labels: {}\n".into(),
            // The terminal shows the created line first, then the error (spec §3.7).
            "configmap/a created\nerror: error parsing f.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key\n".into(),
            // The editor marks the file's line 10, without Go's count within the document.
            Some((10, 2, "error converting YAML to JSON: yaml: did not find expected key")),
        ),
        (
            "tab indentation",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n".into(),
            "error: error parsing f.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token\n".into(),
            Some((4, 1, "error converting YAML to JSON: yaml: found character")),
        ),
        (
            "unclosed quote",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\n".into(),
            "error: error parsing f.yaml: error converting YAML to JSON: yaml: line 5: found unexpected end of stream\n".into(),
            Some((5, 1, "error converting YAML to JSON")),
        ),
        (
            "a real kind stsplay does not simulate",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: web\n".into(),
            "error: stsplay does not simulate Job yet; it simulates Namespace, ConfigMap, Secret, ServiceAccount, Service, StatefulSet, Pod, PersistentVolumeClaim, PersistentVolume, StorageClass and PodDisruptionBudget\n".into(),
            Some((2, 7, "stsplay does not simulate Job")),
        ),
        (
            "unknown kind",
            "apiVersion: apps/v1\nkind: Statefulset\nmetadata:\n  name: web\n".into(),
            "error: resource mapping not found for name: \"web\" namespace: \"\" from \"f.yaml\": no matches for kind \"Statefulset\" in version \"apps/v1\"\nensure CRDs are installed first\nhint: did you mean apiVersion: apps/v1 and kind: StatefulSet?\n".into(),
            Some((2, 7, "resource mapping not found")),
        ),
        (
            "missing kind",
            "apiVersion: v1\nmetadata:\n  name: a\n".into(),
            "error: unable to decode \"f.yaml\": Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"}}'\n".into(),
            Some((1, 1, "unable to decode")),
        ),
        (
            "billion laughs",
            laughs(),
            "error: error parsing f.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing\n".into(),
            None,
        ),
        (
            "file size limit",
            format!("# {}\n", "x".repeat(1024 * 1024)),
            "error: stsplay reads files up to 1 MiB; \"f.yaml\" is 1.0 MiB. Split it into smaller files.\n".into(),
            Some((1, 1, "stsplay reads files up to 1 MiB")),
        ),
    ]
}

#[test]
fn each_rule_prints_kubectls_text_and_marks_its_line() {
    for (rule, text, output, marker) in cases() {
        assert_eq!(apply(&text, ""), output, "{rule}");
        let markers = diagnose(&text, "web.yaml");
        match marker {
            Some((line, column, start)) => {
                let first = markers
                    .iter()
                    .find(|d| d.severity == Severity::Error)
                    .unwrap_or_else(|| panic!("{rule}: no marker"));
                assert_eq!(
                    (first.line, first.column),
                    (line, column),
                    "{rule}: {first:?}"
                );
                assert!(
                    first.message.starts_with(start),
                    "{rule}: {}",
                    first.message
                );
            }
            None => assert!(
                markers.iter().any(|d| d.severity == Severity::Error),
                "{rule}"
            ),
        }
    }
}

#[test]
fn validate_flag_modes() {
    let typo = set_with("  replicas: 2", "  replicas: 2\n  foo: 1");
    for (flag, want) in [
        (" --validate=warn", "Warning: unknown field \"spec.foo\"\nstatefulset.apps/web created\n"),
        (" --validate=false", "statefulset.apps/web created\n"),
        (" --validate=maybe", "error: invalid - validate option \"maybe\"; must be one of: strict (or true), warn, ignore (or false)\n"),
    ] {
        assert_eq!(apply(&typo, flag), want, "{flag}");
    }
}

#[test]
fn duplicate_keys_keep_the_last_value_and_are_marked() {
    let text = set_with("  replicas: 2", "  replicas: 2\n  replicas: 3");
    assert_eq!(apply(&text, ""), "statefulset.apps/web created\n");
    let markers = diagnose(&text, "web.yaml");
    assert_eq!(markers.len(), 1);
    assert_eq!(
        (markers[0].line, markers[0].column, markers[0].severity),
        (11, 3, Severity::Warning)
    );
    assert!(markers[0]
        .message
        .starts_with("mapping key \"replicas\" already defined at line 10"));
}

#[test]
fn immutable_fields_on_update() {
    let mut playground = playground_with(SET);
    playground.run(0, "kubectl apply -f f.yaml");
    playground.files.insert(
        "f.yaml".to_string(),
        set_with("serviceName: nginx", "serviceName: other"),
    );
    playground.run(0, "kubectl apply -f f.yaml");
    let text = playground.terminals[0].text();
    assert!(
        text.ends_with("The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n"),
        "{text}"
    );
}

#[test]
fn template_pod_spec_is_checked_on_create() {
    // Since 1.34 the apiserver validates the template as a pod's spec, with
    // the claim templates standing in for volumes (kubernetes#131790).
    let mut playground = playground_with(&set_with(
        "        image: registry.k8s.io/nginx-slim:0.8\n",
        "",
    ));
    playground.run(0, "kubectl apply -f f.yaml");
    let text = playground.terminals[0].text();
    assert!(
        text.ends_with("The StatefulSet \"web\" is invalid: spec.template.spec.containers[0].image: Required value\n"),
        "{text}"
    );
    // A mount of a claim template is no missing volume.
    let mut playground = playground_with(&with_claim_template("ReadWriteOnce"));
    playground.run(0, "kubectl apply -f f.yaml");
    let text = playground.terminals[0].text();
    assert!(text.ends_with("statefulset.apps/web created\n"), "{text}");
}

/// The seed StatefulSet with a claim template `www` of these access modes,
/// mounted by its container.
fn with_claim_template(modes: &str) -> String {
    format!(
        "{SET}        volumeMounts: [{{name: www, mountPath: /usr/share/nginx/html}}]
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec: {{accessModes: [{modes}], resources: {{requests: {{storage: 1Gi}}}}}}
"
    )
}

#[test]
fn claim_templates_are_checked_on_create() {
    let mut playground = playground_with(&with_claim_template(""));
    playground.run(0, "kubectl apply -f f.yaml");
    let text = playground.terminals[0].text();
    assert!(
        text.ends_with("The StatefulSet \"web\" is invalid: spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required\n"),
        "{text}"
    );
}

#[test]
fn defaults_are_visible_in_output_yaml() {
    let mut playground = playground_with(SET);
    playground.run(0, "kubectl apply -f f.yaml");
    playground.run(0, "kubectl get sts web -o yaml");
    let text = playground.terminals[0].text();
    for default in [
        "podManagementPolicy: OrderedReady",
        "revisionHistoryLimit: 10",
        "partition: 0",
        "whenDeleted: Retain",
    ] {
        assert!(text.contains(default), "{default}\n{text}");
    }
}

#[test]
fn only_manifest_files_are_marked() {
    let hosts = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n";
    assert!(
        !diagnose(hosts, "hosts").is_empty(),
        "as a manifest it is broken"
    );
    assert!(diagnose_file(hosts, "hosts").is_empty());
    assert!(diagnose_file("<h1>hi</h1>\n", "index.html").is_empty());
    let text = set_with("  replicas: 2", "  replica: 2");
    assert!(!diagnose_file(&text, "web.yaml").is_empty());
    assert!(!diagnose_file(&text, "web.yml").is_empty());
}
