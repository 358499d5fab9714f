//! Every UI string in English and Simplified Chinese. kubectl's output stays
//! in English, as a real cluster's does; the controllers' explanations are
//! worded from their structure in src/ui/explain.rs.
//!
//! Each message is a variant of [`Msg`]; the two exhaustive matches below make
//! a missing translation a compile error. Templates name their blanks
//! (`{n}`, `{file}`), since word order differs between the languages.

use yew::prelude::*;

use super::storage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The remembered choice, else the browser's language.
    pub fn initial() -> Lang {
        let browser = || web_sys::window().and_then(|w| w.navigator().language());
        let code = storage::load_preference(storage::LANG_KEY)
            .or_else(browser)
            .unwrap_or_default();
        if code.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Its BCP 47 tag, for `<html lang>` and localStorage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    pub fn t(self, msg: Msg) -> &'static str {
        match self {
            Lang::En => en(msg),
            Lang::Zh => zh(msg),
        }
    }

    /// A template with its blanks filled: `fill(Msg::Applied, &[("file", f), ("n", "2")])`.
    pub fn fill(self, msg: Msg, blanks: &[(&str, &str)]) -> String {
        blanks
            .iter()
            .fold(self.t(msg).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }
}

/// The language the App provides as context, English without one.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::En)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Subtitle,
    Controls,
    Apply,
    ApplyTitle,
    Play,
    PlayTitle,
    Pause,
    StepBack,
    StepBackTitle,
    Step,
    StepTitle,
    Settle,
    SettleTitle,
    Speed,
    VirtualTime,
    VirtualTimeTitle,
    NextChangeNow,
    NextChangeIn,
    SettledNothingPending,
    Reset,
    ResetTitle,
    ResetConfirm,
    ThemeLabel,
    ThemeTitle,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    SwitchLanguage,
    LanguageName,
    Editor,
    EditorHintIndent,
    EditorHintLeave,
    EditorHintApply,
    EditorProblem,
    Timeline,
    TimelineStart,
    Completions,
    Files,
    NewFile,
    DeleteFile,
    DeleteFileConfirm,
    RenameFile,
    FileTabTitle,
    FileTabActiveTitle,
    EditorMoreProblems,
    Applied,
    ApplyFailed,
    EditSaved,
    EditFailed,
    AllTerminalsBusy,
    NotSettled,
    RestoreFailed,
    Terminal,
    Terminals,
    NewTerminal,
    CloseTerminal,
    ShowTerminal,
    ResizeColumns,
    ResizeEditor,
    ResizeTerminals,
    TerminalOutput,
    TerminalStop,
    TerminalStopTitle,
    ApplyTarget,
    ApplyTargetTitle,
    Watching,
    TypeACommand,
    Announce,
    Inspector,
    InspectorTabs,
    TabCluster,
    TabWhy,
    NothingYet,
    Decisions,
    NoStatefulSet,
    Why,
    SetReady,
    SetDetail,
    Revisions,
    Nodes,
    NoPods,
    NotScheduled,
    Restarts,
    Revision,
    Storage,
    BoundTo,
    NoVolume,
    HeadlessService,
    NoPodsBehind,
    Describe,
}

fn en(msg: Msg) -> &'static str {
    use Msg::*;
    match msg {
        Subtitle => "StatefulSet playground",
        Controls => "Playground controls",
        Apply => "Apply",
        ApplyTitle => "kubectl apply -f statefulset.yaml (Ctrl+Enter in the editor)",
        Play => "Play",
        PlayTitle => "Run the virtual clock continuously",
        Pause => "Pause",
        StepBack => "Step back",
        StepBackTitle => "Go back to the moment before the latest change",
        Step => "Step",
        StepTitle => "Run the cluster to its next visible change",
        Settle => "Settle",
        SettleTitle => "Run until nothing is pending",
        Speed => "Speed",
        VirtualTime => "Virtual time",
        VirtualTimeTitle => "Virtual time since the cluster started",
        NextChangeNow => "next change: now",
        NextChangeIn => "next change in {wait}",
        SettledNothingPending => "settled: nothing pending",
        Reset => "Reset",
        ResetTitle => "Start over with a new cluster (the editor keeps your text)",
        ResetConfirm => "Reset the playground? The cluster and terminals start over; the editor keeps your text.",
        ThemeLabel => "Theme: {theme}",
        ThemeTitle => "Theme: {theme} (click for {next})",
        ThemeSystem => "system",
        ThemeLight => "light",
        ThemeDark => "dark",
        SwitchLanguage => "切换到中文",
        LanguageName => "English",
        Editor => "Editor",
        EditorHintIndent => " indents · ",
        EditorHintLeave => " leaves the editor · ",
        EditorHintApply => " applies",
        EditorProblem => "Line {line}: {message}",
        Timeline => "Timeline",
        TimelineStart => "the oldest moment kept",
        Completions => "Completions",
        Files => "Files",
        NewFile => "New file",
        DeleteFile => "Delete {file}",
        DeleteFileConfirm => "Delete {file}? Its text cannot be brought back.",
        RenameFile => "Rename {file}",
        FileTabTitle => "Open this file (double-click or F2 to rename)",
        FileTabActiveTitle => "Apply sends {file} to kubectl (double-click or F2 to rename)",
        EditorMoreProblems => " (and {n} more)",
        Applied => "Applied {file} in terminal {n}.",
        ApplyFailed => "kubectl apply failed (exit status {code}): see terminal {n}.",
        EditSaved => "Saved {file}: kubectl edit finished in terminal {n}.",
        EditFailed => "kubectl edit did not save (exit status {code}): see terminal {n} and the top of the file.",
        AllTerminalsBusy => "Every terminal is running a watch: stop one with Ctrl+C, then try again.",
        NotSettled => "Not settled after 10 minutes of virtual time: something keeps retrying. Check the Why tab.",
        RestoreFailed => "Your saved session could not be restored: {why}. It was set aside in localStorage as \"{key}\", and this is a fresh playground.",
        Terminal => "Terminal {n}",
        Terminals => "Terminals",
        NewTerminal => "New terminal",
        CloseTerminal => "Close terminal {n}",
        ShowTerminal => "Show terminal {n} and type in it",
        ResizeColumns => "Resize the editor and the terminals",
        ResizeEditor => "Resize the editor and the cluster view",
        ResizeTerminals => "Resize the two terminals",
        TerminalOutput => "Terminal {n} output",
        TerminalStop => "Stop",
        TerminalStopTitle => "Stop the watch (Ctrl+C in the terminal)",
        ApplyTarget => "Apply target",
        ApplyTargetTitle => "Apply runs kubectl in this terminal",
        Watching => "watching… Ctrl+C to stop",
        TypeACommand => "type a command, e.g. kubectl get pods",
        Announce => "Terminal {n}: {row}",
        Inspector => "Cluster and explanations",
        InspectorTabs => "Inspector",
        TabCluster => "Cluster",
        TabWhy => "Why",
        NothingYet => "Nothing has happened yet. Press Apply, then Step through the cluster's changes.",
        Decisions => "Controller decisions, newest first",
        NoStatefulSet => "No StatefulSet yet: press Apply.",
        Why => "Why: ",
        SetReady => "{ready}/{replicas} ready",
        SetDetail => "current {current} · updated {updated} · {revisions} · partition {partition}",
        Revisions => "revision {revision}",
        Nodes => "Nodes",
        NoPods => "no pods",
        NotScheduled => "not scheduled",
        Restarts => "restarts {n}",
        Revision => "rev {hash}",
        Storage => "Storage",
        BoundTo => " bound to ",
        NoVolume => "no volume yet",
        HeadlessService => "Service {name} (headless): stable DNS names",
        NoPodsBehind => "no pods behind it yet",
        Describe => "kubectl describe {target}",
    }
}

fn zh(msg: Msg) -> &'static str {
    use Msg::*;
    match msg {
        Subtitle => "StatefulSet 演练场",
        Controls => "演练场控制",
        Apply => "应用",
        ApplyTitle => "kubectl apply -f statefulset.yaml（在编辑器中按 Ctrl+Enter）",
        Play => "播放",
        PlayTitle => "让虚拟时钟持续运行",
        Pause => "暂停",
        StepBack => "后退一步",
        StepBackTitle => "回到最近一次变化之前",
        Step => "单步",
        StepTitle => "让集群运行到下一个可见的变化",
        Settle => "运行到稳定",
        SettleTitle => "一直运行，直到没有待处理的工作",
        Speed => "速度",
        VirtualTime => "虚拟时间",
        VirtualTimeTitle => "集群启动以来的虚拟时间",
        NextChangeNow => "下一个变化：立即",
        NextChangeIn => "{wait} 后有下一个变化",
        SettledNothingPending => "已稳定：没有待处理的工作",
        Reset => "重置",
        ResetTitle => "用一个新集群重新开始（编辑器中的文本会保留）",
        ResetConfirm => "重置演练场？集群和终端将重新开始，编辑器中的文本会保留。",
        ThemeLabel => "主题：{theme}",
        ThemeTitle => "主题：{theme}（点击切换为{next}）",
        ThemeSystem => "跟随系统",
        ThemeLight => "浅色",
        ThemeDark => "深色",
        SwitchLanguage => "Switch to English",
        LanguageName => "中文",
        Editor => "编辑器",
        EditorHintIndent => " 缩进 · ",
        EditorHintLeave => " 离开编辑器 · ",
        EditorHintApply => " 应用",
        EditorProblem => "第 {line} 行：{message}",
        Timeline => "时间线",
        TimelineStart => "保留的最早时刻",
        Completions => "补全候选",
        Files => "文件",
        NewFile => "新建文件",
        DeleteFile => "删除 {file}",
        DeleteFileConfirm => "删除 {file}？删除后无法恢复其内容。",
        RenameFile => "重命名 {file}",
        FileTabTitle => "打开此文件（双击或按 F2 重命名）",
        FileTabActiveTitle => "“应用”把 {file} 交给 kubectl（双击或按 F2 重命名）",
        EditorMoreProblems => "（另有 {n} 处）",
        Applied => "已在终端 {n} 中应用 {file}。",
        ApplyFailed => "kubectl apply 失败（退出码 {code}）：请查看终端 {n}。",
        EditSaved => "已保存 {file}：kubectl edit 已在终端 {n} 中完成。",
        EditFailed => "kubectl edit 未能保存（退出码 {code}）：请查看终端 {n} 和文件开头。",
        AllTerminalsBusy => "所有终端都在运行 watch：先在其中一个终端按 Ctrl+C 停止，再试一次。",
        NotSettled => "虚拟时间过去 10 分钟仍未稳定：有东西在不断重试。请查看“原因”标签页。",
        RestoreFailed => "无法恢复已保存的会话：{why}。它已另存到 localStorage 的 \"{key}\"，现在是一个新的演练场。",
        Terminal => "终端 {n}",
        Terminals => "终端",
        NewTerminal => "新建终端",
        CloseTerminal => "关闭终端 {n}",
        ShowTerminal => "显示终端 {n} 并在其中输入",
        ResizeColumns => "调整编辑器与终端的宽度",
        ResizeEditor => "调整编辑器与集群视图的高度",
        ResizeTerminals => "调整两个终端的高度",
        TerminalOutput => "终端 {n} 的输出",
        TerminalStop => "停止",
        TerminalStopTitle => "停止 watch（在终端中按 Ctrl+C）",
        ApplyTarget => "应用目标",
        ApplyTargetTitle => "“应用”在这个终端中运行 kubectl",
        Watching => "正在 watch… 按 Ctrl+C 停止",
        TypeACommand => "输入命令，例如 kubectl get pods",
        Announce => "终端 {n}：{row}",
        Inspector => "集群与原因",
        InspectorTabs => "检查器",
        TabCluster => "集群",
        TabWhy => "原因",
        NothingYet => "还没有发生任何事。按“应用”，然后用“单步”逐个查看集群的变化。",
        Decisions => "控制器的决定，最新的在前",
        NoStatefulSet => "还没有 StatefulSet：请按“应用”。",
        Why => "原因：",
        SetReady => "{ready}/{replicas} 就绪",
        SetDetail => "当前 {current} · 已更新 {updated} · {revisions} · 分区 {partition}",
        Revisions => "版本 {revision}",
        Nodes => "节点",
        NoPods => "没有 Pod",
        NotScheduled => "未调度",
        Restarts => "重启 {n} 次",
        Revision => "版本 {hash}",
        Storage => "存储",
        BoundTo => " 绑定到 ",
        NoVolume => "尚无卷",
        HeadlessService => "Service {name}（无头服务）：稳定的 DNS 名称",
        NoPodsBehind => "后面还没有 Pod",
        Describe => "kubectl describe {target}",
    }
}
