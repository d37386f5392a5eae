//! The storeys of `ARCHITECTURE.md`, held against the code: every `crate::…` (and `super::…`)
//! path in `src/` must point down the order below, never sideways against it or up, and no
//! circle may run between files of different folders. The order is written here once; this is
//! the one place to change it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. A part may use the parts before it in this list, and never one after it.
/// Within a part (a top-level module, or a sub-area of `schools`) files use each other freely.
const ORDER: &[(&str, &[&str])] = &[
    (
        "ground",
        &[
            "config", "i18n", "clock", "domain", "error", "db", "crypto", "media", "mail",
            "limits", "state", "web", "audit",
        ],
    ),
    ("core", &["privacy", "accounts"]),
    (
        "areas",
        &[
            "schools/registry",
            "schools/applications",
            "schools/groups",
            "schools/theory",
            "schools/lessons",
            "schools/certificates",
            "schools/public",
            "schools",
            "photos",
            "tickets",
            "reviews",
        ],
    ),
    ("over areas", &["moderation", "admin"]),
    ("top", &["pages", "home", "health", "server", "lib"]),
];

/// Folders whose sub-folders are parts of their own (the others' sub-folders belong to them).
const SPLIT: &[&str] = &["schools"];

fn rank(part: &str) -> Option<(usize, &'static str)> {
    ORDER
        .iter()
        .flat_map(|(storey, parts)| parts.iter().map(move |p| (*p, *storey)))
        .enumerate()
        .find(|(_, (p, _))| *p == part)
        .map(|(i, (_, storey))| (i, storey))
}

/// The module path of a file below `src/`: `schools/lessons/model.rs` → [schools, lessons, model].
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> =
        relative.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        return vec!["lib".into()];
    }
    parts
}

/// The part a file belongs to: its top-level module, or for a split folder the sub-folder it
/// stands in (files directly in the split folder gather its sub-areas and are its top).
fn part_of(relative: &Path) -> String {
    let parts: Vec<String> =
        relative.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    match parts.as_slice() {
        [only] if only == "main" => "lib".into(),
        [only] => only.clone(),
        [area, sub, _, ..] if SPLIT.contains(&area.as_str()) => format!("{area}/{sub}"),
        [first, ..] => first.clone(),
        [] => "lib".into(),
    }
}

/// The folder a file stands in, for the circle check (`mod.rs` stands in its own folder). A
/// file at the top of `src/` (config.rs, state.rs …) is a room of its own.
fn folder_of(relative: &Path) -> String {
    match relative.parent().map(|p| p.to_string_lossy().to_string()) {
        Some(folder) if !folder.is_empty() => folder,
        _ => relative.to_string_lossy().trim_end_matches(".rs").to_string(),
    }
}

/// The source without comments, strings and `#[cfg(test)]` modules (unit tests may reach
/// anywhere they test from).
fn code_of(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if at(&chars, i + 1) == '/' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(&chars, i + 1) == '*' => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && at(&chars, i + 1) == '/') {
                    i += 1;
                }
                i += 2;
            }
            'r' if at(&chars, i + 1) == '#'
                || (at(&chars, i + 1) == '"' && !chars[i.saturating_sub(1)].is_alphanumeric()) =>
            {
                // A raw string r"…" or r#"…"#.
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push(chars[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if at(&chars, i + 2) == '\''
                || (at(&chars, i + 1) == '\\' && at(&chars, i + 3) == '\'') =>
            {
                // A char literal ('"', '\n'); lifetimes ('a) pass through.
                i += if at(&chars, i + 1) == '\\' { 4 } else { 3 };
                out.push_str("' '");
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    strip_test_modules(&out)
}

fn at(chars: &[char], i: usize) -> char {
    chars.get(i).copied().unwrap_or('\0')
}

fn strip_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Skip the item that follows: up to the end of its block, or of its line for `mod x;`.
        let block = after.find('{');
        let semi = after.find(';');
        match (block, semi) {
            (Some(b), Some(s)) if s < b => rest = &after[s + 1..],
            (Some(b), _) => {
                let mut depth = 0;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// The modules a piece of code names: `crate::a::b`, `crate::{a, b::c}`, `super::x`.
fn paths_in(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric() || matches!(bytes[at - 1], b'_' | b':'))
            {
                continue;
            }
            // The whole path: identifiers, `::`, and one level of braces.
            let mut end = at;
            let mut depth = 0;
            for (i, c) in code[at..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    c if depth > 0 || c.is_alphanumeric() || c == '_' || c == ':' => {}
                    ',' | ' ' | '\n' if depth > 0 => {}
                    _ => {
                        end = at + i;
                        break;
                    }
                }
                end = at + i + c.len_utf8();
            }
            // `x as y` names x.
            let text: String = code[at..end]
                .split(',')
                .map(|item| match item.find(" as ") {
                    Some(cut) => &item[..cut],
                    None => item,
                })
                .collect::<Vec<_>>()
                .join(",")
                .split_whitespace()
                .collect();
            for path in expand(&text) {
                let mut segments: Vec<String> =
                    path.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
                if segments.first().is_some_and(|s| s == "crate") {
                    segments.remove(0);
                } else {
                    // Each `super` climbs one module up (a mod.rs is its folder's module).
                    let mut base: Vec<String> = module.to_vec();
                    while segments.first().is_some_and(|s| s == "super") {
                        segments.remove(0);
                        base.pop();
                    }
                    base.extend(segments);
                    segments = base;
                }
                found.push(segments);
            }
        }
    }
    found
}

/// `a::{b, c::d}` → [`a::b`, `a::c::d`] (one level of braces is all `use` lines here need).
fn expand(path: &str) -> Vec<String> {
    match (path.find('{'), path.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let prefix = &path[..open];
            let mut items = Vec::new();
            let mut depth = 0;
            let mut item = String::new();
            for c in path[open + 1..close].chars() {
                match c {
                    '{' => {
                        depth += 1;
                        item.push(c)
                    }
                    '}' => {
                        depth -= 1;
                        item.push(c)
                    }
                    ',' if depth == 0 => {
                        items.push(std::mem::take(&mut item));
                    }
                    c => item.push(c),
                }
            }
            items.push(item);
            items
                .into_iter()
                .filter(|i| !i.is_empty())
                .flat_map(|i| expand(&format!("{prefix}{i}")))
                .collect()
        }
        _ => vec![path.trim_end_matches("::").to_string()],
    }
}

/// The module a path names, as far as the modules exist (`a::b::Item` → `a::b`).
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p))
}

#[derive(Debug)]
struct Source {
    relative: PathBuf,
    module: Vec<String>,
    code: String,
}

fn read_tree(root: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                files.push(Source {
                    module: module_of(&relative),
                    code: code_of(&std::fs::read_to_string(&path).unwrap()),
                    relative,
                });
            }
        }
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    files
}

/// What the check finds wrong, one line each.
fn problems(files: &[Source]) -> Vec<String> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut wrong = Vec::new();
    let mut folder_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let by_module: BTreeMap<&Vec<String>, &Source> = files.iter().map(|f| (&f.module, f)).collect();
    for file in files {
        let from = part_of(&file.relative);
        let Some((from_rank, from_storey)) = rank(&from) else {
            wrong.push(format!("{}: part `{from}` is in no storey", file.relative.display()));
            continue;
        };
        for path in paths_in(&file.code, &file.module) {
            let Some(target) = resolve(&path, &modules) else {
                continue;
            };
            let Some(target_file) = by_module.get(&target) else {
                continue;
            };
            let to = part_of(&target_file.relative);
            let (a, b) = (folder_of(&file.relative), folder_of(&target_file.relative));
            if a != b {
                folder_edges.entry(a).or_default().insert(b);
            }
            if to == from {
                continue;
            }
            match rank(&to) {
                Some((to_rank, to_storey)) if to_rank > from_rank => wrong.push(format!(
                    "{}: `{}` reaches {} to `{to}` ({to_storey}) from `{from}` ({from_storey})",
                    file.relative.display(),
                    path.join("::"),
                    if to_storey == from_storey { "sideways" } else { "up" },
                )),
                Some(_) => {}
                None => wrong.push(format!(
                    "{}: `{}` names `{to}`, which is in no storey",
                    file.relative.display(),
                    path.join("::")
                )),
            }
        }
    }
    wrong.extend(circles(&folder_edges));
    wrong.sort();
    wrong.dedup();
    wrong
}

/// Circles between folders (a depth-first search for a back edge).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit(
        node: &str, edges: &BTreeMap<String, BTreeSet<String>>, trail: &mut Vec<String>,
        done: &mut BTreeSet<String>, found: &mut Vec<String>,
    ) {
        if let Some(at) = trail.iter().position(|n| n == node) {
            let mut circle = trail[at..].to_vec();
            circle.push(node.to_string());
            found.push(format!("circle between folders: {}", circle.join(" → ")));
            return;
        }
        if !done.insert(node.to_string()) {
            return;
        }
        trail.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, trail, done, found);
        }
        trail.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, edges, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

/// Who owns each table: only that part's files name it. Another part asks the owner's
/// functions.
const TABLES: &[(&str, &[&str])] = &[
    ("web", &["sessions"]),
    ("audit", &["audit_events"]),
    ("limits", &["rate_events"]),
    ("privacy", &["policy_versions"]),
    ("accounts", &["users", "consents", "guardians", "tokens", "sign_ins", "restrictions"]),
    ("schools/registry", &["schools", "school_branches", "school_staff", "staff_invitations"]),
    ("schools/groups", &["training_groups", "enrolments"]),
    ("schools/theory", &["theory_sessions", "theory_attendance"]),
    ("schools/lessons", &["lessons", "lesson_positions"]),
    ("schools/certificates", &["completions"]),
    ("photos", &["photos", "photo_objects"]),
    ("tickets", &["tickets", "ticket_messages", "ticket_attachments"]),
    ("reviews", &["reviews"]),
    ("moderation", &["reports"]),
];

/// Reads across areas that are still to be moved behind the owner's functions: (file, table).
/// Most are joins for a person's name (`users`) or a school's (`schools`) in a list query; the
/// moderators' queue reads reviews and messages in one paged query across both. The list may
/// only shrink: an entry that no longer happens fails the test too.
const KNOWN_READS: &[(&str, &str)] = &[
    ("moderation/model/mod.rs", "reviews"),
    ("moderation/model/mod.rs", "school_staff"),
    ("moderation/model/mod.rs", "ticket_messages"),
    ("moderation/model/mod.rs", "tickets"),
    ("photos/model.rs", "users"),
    ("reviews/model.rs", "enrolments"),
    ("reviews/model.rs", "lessons"),
    ("reviews/model.rs", "schools"),
    ("reviews/model.rs", "training_groups"),
    ("reviews/model.rs", "users"),
    ("schools/applications/model.rs", "schools"),
    ("schools/applications/model.rs", "users"),
    ("schools/certificates/mod.rs", "enrolments"),
    ("schools/certificates/mod.rs", "training_groups"),
    ("schools/certificates/mod.rs", "users"),
    ("schools/demo.rs", "enrolments"),
    ("schools/demo.rs", "schools"),
    ("schools/groups/model.rs", "completions"),
    ("schools/groups/model.rs", "schools"),
    ("schools/groups/roster_model.rs", "completions"),
    ("schools/groups/roster_model.rs", "users"),
    ("schools/lessons/calendar.rs", "users"),
    ("schools/lessons/model.rs", "enrolments"),
    ("schools/lessons/model.rs", "training_groups"),
    ("schools/lessons/model.rs", "users"),
    ("schools/lessons/position.rs", "school_staff"),
    ("schools/registry/model.rs", "users"),
    ("schools/student.rs", "lessons"),
    ("schools/student.rs", "users"),
    ("schools/theory_forms.rs", "enrolments"),
    ("schools/theory_forms.rs", "school_staff"),
    ("schools/theory_forms.rs", "theory_attendance"),
    ("schools/theory_forms.rs", "theory_sessions"),
    ("schools/theory_forms.rs", "training_groups"),
    ("schools/volume.rs", "enrolments"),
    ("schools/volume.rs", "lessons"),
    ("schools/volume.rs", "school_staff"),
    ("schools/volume.rs", "training_groups"),
    ("schools/volume.rs", "users"),
    ("tickets/model/mod.rs", "schools"),
    ("tickets/model/mod.rs", "users"),
];

/// Tables a file names (`schema::x`, `schema::{x, y}`, and table names in SQL text are not
/// seen: raw SQL is reviewed by hand).
fn tables_in(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("schema::") {
        let start = from + at + "schema::".len();
        from = start;
        let rest = &code[start..];
        let list = if let Some(inner) = rest.strip_prefix('{') {
            &inner[..inner.find('}').unwrap_or(inner.len())]
        } else {
            &rest[..rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len())]
        };
        for name in list.split(',') {
            let name = name.split("::").next().unwrap_or_default().trim();
            if !name.is_empty() && name != "self" {
                found.insert(name.to_string());
            }
        }
    }
    found
}

fn table_problems(files: &[Source]) -> Vec<String> {
    let owner: BTreeMap<&str, &str> =
        TABLES.iter().flat_map(|(part, tables)| tables.iter().map(move |t| (*t, *part))).collect();
    let mut seen_known = BTreeSet::new();
    let mut wrong = Vec::new();
    for file in files {
        if file.relative.starts_with("db") {
            continue;
        }
        let part = part_of(&file.relative);
        let name = file.relative.to_string_lossy().to_string();
        for table in tables_in(&file.code) {
            match owner.get(table.as_str()) {
                None => wrong.push(format!("{name}: table `{table}` has no owner in TABLES")),
                Some(o) if *o == part => {}
                Some(o) => {
                    if KNOWN_READS.contains(&(name.as_str(), table.as_str())) {
                        seen_known.insert((name.clone(), table.clone()));
                    } else {
                        wrong.push(format!(
                            "{name}: `{part}` runs SQL on `{table}`, which is `{o}`'s"
                        ));
                    }
                }
            }
        }
    }
    for (file, table) in KNOWN_READS {
        if !seen_known.contains(&(file.to_string(), table.to_string())) {
            wrong.push(format!("{file}: no longer names `{table}`: strike it from KNOWN_READS"));
        }
    }
    wrong
}

fn source_tree() -> Vec<Source> {
    read_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn every_import_points_down_the_storeys() {
    let files = source_tree();
    assert!(files.len() > 50, "the tree was read: {} files", files.len());
    let wrong = problems(&files);
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn each_area_runs_sql_on_its_own_tables_only() {
    let wrong = table_problems(&source_tree());
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn a_planted_read_of_another_areas_table_is_refused() {
    let mut files = source_tree();
    let relative = PathBuf::from("reviews/planted.rs");
    files.push(Source {
        module: module_of(&relative),
        code: code_of("use crate::db::schema::{reviews, lessons};\n"),
        relative,
    });
    let wrong = table_problems(&files);
    let planted: Vec<&String> = wrong.iter().filter(|w| w.contains("planted")).collect();
    assert_eq!(planted.len(), 1, "{planted:#?}");
    assert!(planted[0].contains("`lessons`, which is `schools/lessons`'s"), "{}", planted[0]);
}

/// A planted wrong import is found: the check can fail.
#[test]
fn a_planted_sideways_or_upward_import_is_refused() {
    let mut files = source_tree();
    let plant = |files: &mut Vec<Source>, file: &str, line: &str| {
        let relative = PathBuf::from(file);
        files.push(Source { module: module_of(&relative), code: code_of(line), relative });
    };
    // The ground floor reaching an area, and an area reaching one after it in the order.
    plant(&mut files, "web/planted.rs", "use crate::tickets::model;\n");
    plant(&mut files, "schools/lessons/planted.rs", "fn f() { crate::reviews::stars(1); }\n");
    // Comments and strings do not count.
    plant(
        &mut files,
        "db/planted_quiet.rs",
        "// crate::reviews::stars\nconst S: &str = \"crate::reviews\";\n",
    );
    let wrong = problems(&files);
    let planted: Vec<&String> = wrong.iter().filter(|w| w.contains("planted")).collect();
    assert_eq!(planted.len(), 2, "{planted:#?}");
    assert!(planted[1].contains("up to `tickets`"), "{}", planted[1]);
    assert!(planted[0].contains("sideways to `reviews`"), "{}", planted[0]);
}

#[test]
fn a_circle_between_folders_is_found() {
    let edges = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(circles(&edges), vec!["circle between folders: a → b → c → a"]);
}

#[test]
fn paths_are_read_from_use_lines_and_code() {
    let module = vec!["schools".to_string(), "lessons".to_string(), "handlers".to_string()];
    let code = code_of(
        "use crate::{db, web::auth::{CurrentUser, Staff}};\nuse super::model;\nfn f() { super::super::public::x(); }\n",
    );
    let paths: Vec<String> = paths_in(&code, &module).into_iter().map(|p| p.join("::")).collect();
    assert_eq!(
        paths,
        [
            "db",
            "web::auth::CurrentUser",
            "web::auth::Staff",
            "schools::lessons::model",
            "schools::public::x"
        ]
    );
}
