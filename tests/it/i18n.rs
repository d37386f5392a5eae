use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use avtomektep::i18n::Lang;
use fluent_syntax::ast::{Expression, InlineExpression, Pattern, PatternElement};
use fluent_templates::fluent_bundle::FluentValue;

/// What a message says: its text (every variant of a select expression, attributes too) and the
/// `$variables` it uses anywhere, selectors included.
#[derive(Default)]
struct Message {
    text: String,
    variables: BTreeSet<String>,
}

impl Message {
    fn walk(&mut self, pattern: &Pattern<String>) {
        for element in &pattern.elements {
            match element {
                PatternElement::TextElement { value } => self.text.push_str(value),
                PatternElement::Placeable { expression } => self.expression(expression),
            }
        }
    }

    fn expression(&mut self, expression: &Expression<String>) {
        match expression {
            Expression::Select { selector, variants } => {
                self.inline(selector);
                for variant in variants {
                    self.text.push(' ');
                    self.walk(&variant.value);
                }
            }
            Expression::Inline(inline) => self.inline(inline),
        }
    }

    fn inline(&mut self, inline: &InlineExpression<String>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.clone());
            }
            InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    self.inline(argument);
                }
                for argument in &arguments.named {
                    self.inline(&argument.value);
                }
            }
            InlineExpression::TermReference { arguments: Some(arguments), .. } => {
                for argument in &arguments.positional {
                    self.inline(argument);
                }
                for argument in &arguments.named {
                    self.inline(&argument.value);
                }
            }
            InlineExpression::Placeable { expression } => self.expression(expression),
            InlineExpression::StringLiteral { value } => self.text.push_str(value),
            InlineExpression::NumberLiteral { .. }
            | InlineExpression::MessageReference { .. }
            | InlineExpression::TermReference { .. } => {}
        }
    }
}

fn locale_files(lang: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    files
}

/// Every message of a language, by "file: id".
fn messages(lang: &str) -> BTreeMap<String, Message> {
    let mut messages = BTreeMap::new();
    for path in locale_files(lang) {
        let source = std::fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for entry in resource.body {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                let mut message = Message::default();
                if let Some(value) = &m.value {
                    message.walk(value);
                }
                for attribute in &m.attributes {
                    message.text.push(' ');
                    message.walk(&attribute.value);
                }
                messages.insert(format!("{file}: {}", m.id.name), message);
            }
        }
    }
    messages
}

fn message_ids(lang: &str) -> BTreeSet<String> {
    messages(lang).into_keys().collect()
}

/// The privacy policy's texts: (migration directory, Kazakh Markdown, Russian Markdown).
fn policy_texts() -> Vec<(PathBuf, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("kk.md").exists() || dir.join("ru.md").exists() {
            let kk = std::fs::read_to_string(dir.join("kk.md")).unwrap();
            let ru = std::fs::read_to_string(dir.join("ru.md")).unwrap();
            texts.push((dir, kk, ru));
        }
    }
    texts.sort();
    assert!(!texts.is_empty(), "the policy's kk.md and ru.md are found");
    texts
}

/// Words of a Kazakh text that mix Cyrillic with other letters: Latin look-alikes (`e`, `o`,
/// `a`, `i`, `ə`, `ɵ`…) or the letters of other Cyrillic alphabets (`ҡ`, `ӊ`, `ѳ`…).
fn mixed_words(text: &str) -> Vec<String> {
    const KAZAKH: &str = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ\
                          аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
    let mut mixed = Vec::new();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        if cyrillic && !word.chars().all(|c| KAZAKH.contains(c)) {
            mixed.push(word.to_string());
        }
    }
    let schwa_or_barred_o = |c: char| matches!(c, 'ə' | 'Ə' | 'ɵ' | 'Ɵ');
    if text.contains(schwa_or_barred_o) {
        mixed.push("a Latin ə or ɵ".to_string());
    }
    mixed
}

#[test]
fn every_message_exists_in_both_languages() {
    let kk = message_ids("kk");
    let ru = message_ids("ru");
    assert!(kk.len() > 40, "messages are found: {}", kk.len());
    let only_kk: Vec<_> = kk.difference(&ru).collect();
    let only_ru: Vec<_> = ru.difference(&kk).collect();
    assert!(only_kk.is_empty() && only_ru.is_empty(), "kk only: {only_kk:?}, ru only: {only_ru:?}");
}

#[test]
fn kazakh_uses_its_own_letters_not_latin_look_alikes() {
    let mut texts: Vec<(String, String)> = locale_files("kk")
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    for (dir, kk, _) in policy_texts() {
        texts.push((dir.join("kk.md").display().to_string(), kk));
    }
    let mut found = Vec::new();
    for (path, text) in &texts {
        for word in mixed_words(text) {
            found.push(format!("{path}: {word:?}"));
        }
    }
    assert!(found.is_empty(), "mixed letters:\n{}", found.join("\n"));
    assert_eq!(mixed_words("Kазақ"), ["Kазақ"], "a Latin K is caught");
    assert_eq!(mixed_words("мəтін").len(), 2, "a Latin schwa is caught");
    assert_eq!(mixed_words("ҡазаҡ"), ["ҡазаҡ"], "a Bashkir ҡ is caught");
    assert!(mixed_words("Avtomektep.kz порталы, JPEG").is_empty());
}

/// The headings (level and number) and list items of a policy text, in order.
fn outline(markdown: &str) -> Vec<String> {
    let mut outline = Vec::new();
    for line in markdown.lines() {
        let line = line.trim_start();
        if line.starts_with('#') {
            let level = line.chars().take_while(|&c| c == '#').count();
            let number: String = line[level..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            outline.push(format!("{} {number}", "#".repeat(level)));
        } else if line.starts_with("- ") || line.starts_with("* ") {
            outline.push("-".to_string());
        } else {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
            {
                outline.push(line[..digits + 1].to_string());
            }
        }
    }
    outline
}

#[test]
fn the_policy_has_the_same_sections_in_both_languages() {
    for (dir, kk, ru) in policy_texts() {
        let (kk_outline, ru_outline) = (outline(&kk), outline(&ru));
        let sections = kk_outline.iter().filter(|h| h.starts_with("## ")).count();
        assert!(sections >= 15, "{}: {kk_outline:?}", dir.display());
        assert_eq!(kk_outline, ru_outline, "{}", dir.display());
        // The migration publishes exactly these texts.
        let up = std::fs::read_to_string(dir.join("up.sql")).unwrap();
        assert!(up.contains(&kk), "{}: up.sql has kk.md", dir.display());
        assert!(up.contains(&ru), "{}: up.sql has ru.md", dir.display());
    }
}

#[test]
fn both_languages_use_the_same_placeholders() {
    let kk = messages("kk");
    let ru = messages("ru");
    let mut mismatches = Vec::new();
    for (id, kk_message) in &kk {
        let Some(ru_message) = ru.get(id) else {
            continue; // every_message_exists_in_both_languages reports it
        };
        if kk_message.variables != ru_message.variables {
            mismatches.push(format!(
                "{id}: kk {:?}, ru {:?}",
                kk_message.variables, ru_message.variables
            ));
        }
    }
    let used: usize = kk.values().map(|m| m.variables.len()).sum();
    assert!(used > 20, "placeholders are found: {used}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn russian_plurals_have_three_forms() {
    let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 25]
        .into_iter()
        .map(|n| Lang::Ru.t_count("privacy-versions-count", n))
        .collect();
    assert_eq!(
        forms,
        [
            "Опубликована 1 редакция.",
            "Опубликованы 2 редакции.",
            "Опубликовано 5 редакций.",
            "Опубликовано 11 редакций.",
            "Опубликована 21 редакция.",
            "Опубликованы 22 редакции.",
            "Опубликовано 25 редакций.",
        ]
    );
    assert_eq!(Lang::Kk.t_count("privacy-versions-count", 3), "3 нұсқа жарияланған.");
}

#[test]
fn every_field_error_has_a_message_in_both_languages() {
    // The domain's sources, a module's own folder (`personal_data/`) too.
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain")];
    let mut sources = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(path);
            }
        }
    }
    let mut used = BTreeSet::new();
    for path in sources {
        let source = std::fs::read_to_string(path).unwrap();
        for piece in source.split('"').skip(1).step_by(2) {
            let is_id = piece.contains("-error-")
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
            if is_id {
                used.insert(piece.to_string());
            }
        }
    }
    assert!(used.len() > 20, "field errors are found: {used:?}");
    for lang in [Lang::Kk, Lang::Ru] {
        for id in &used {
            assert_ne!(&lang.t(id), id, "{id} has no {lang:?} message");
        }
    }
}

/// Kazakh keeps two words apart: өтінім is a request to a school (to join a group, to be listed;
/// «заявка»), өтініш is a ticket to a school or the operator («обращение»).
#[test]
fn kazakh_says_otinim_for_a_request_and_otinish_for_a_ticket() {
    let kk = messages("kk");
    let ru = messages("ru");
    let mut wrong = Vec::new();
    for (id, message) in &kk {
        let text = message.text.to_lowercase();
        let ru_text = ru.get(id).map(|m| m.text.to_lowercase()).unwrap_or_default();
        let name = id.split(": ").nth(1).unwrap();
        let request = name.starts_with("application") || ru_text.contains("заявк");
        let ticket = name.starts_with("tickets-")
            || name.starts_with("nav-tickets")
            || name.starts_with("mail-ticket-")
            || ru_text.contains("обращени");
        if request && text.contains("өтініш") {
            wrong.push(format!("{id} is about a request but says өтініш: {text}"));
        }
        if ticket && text.contains("өтінім") {
            wrong.push(format!("{id} is about a ticket but says өтінім: {text}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    assert_eq!(Lang::Kk.t("nav-tickets"), "Өтініштер");
    assert_eq!(Lang::Kk.t("school-apply"), "Өтінім беру");
    // The moderation mail sends people to the tickets by the menu item's own name.
    for lang in Lang::ALL {
        let body = lang.t_args(
            "mail-moderated-body",
            &[("what", FluentValue::from("message-hidden")), ("reason", FluentValue::from("spam"))],
        );
        let menu = format!("«{}»", lang.t("nav-tickets"));
        assert!(body.contains(&menu), "{lang:?}: {body}");
    }
}

/// The portal's student is «учащийся» in Russian, never «ученик», «ученица» or «студент».
#[test]
fn russian_calls_the_student_uchashchiysya() {
    let mut found = Vec::new();
    for path in locale_files("ru") {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            if ["ученик", "учениц", "студент"].iter().any(|word| lower.contains(word))
            {
                found.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(Lang::Ru.t("role-student"), "Учащийся");
    assert_eq!(Lang::Ru.t("transfer-title"), "Перевести учащегося в другую группу");
}

#[test]
fn the_minimum_age_agrees_with_its_number() {
    let too_young = |lang: Lang, age: u32| {
        lang.t_args("birth-date-error-too-young", &[("min_age", FluentValue::from(age))])
    };
    let forms: Vec<String> =
        [1, 2, 5, 16, 18, 21, 22].into_iter().map(|age| too_young(Lang::Ru, age)).collect();
    assert_eq!(
        forms,
        [
            "Регистрация возможна с 1 года.",
            "Регистрация возможна с 2 лет.",
            "Регистрация возможна с 5 лет.",
            "Регистрация возможна с 16 лет.",
            "Регистрация возможна с 18 лет.",
            "Регистрация возможна с 21 года.",
            "Регистрация возможна с 22 лет.",
        ]
    );
    assert_eq!(too_young(Lang::Kk, 21), "Тіркелу 21 жастан бастап мүмкін.");
}

#[test]
fn the_policy_versions_are_redaktsii_in_russian() {
    assert_eq!(Lang::Ru.t("privacy-version"), "Редакция");
    assert_eq!(Lang::Ru.t("privacy-all-versions"), "все редакции");
    assert_eq!(Lang::Kk.t("privacy-version"), "Нұсқа");
}
