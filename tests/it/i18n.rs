use std::collections::BTreeSet;
use std::path::Path;

use avtomektep::i18n::Lang;

fn message_ids(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
        for entry in resource.body {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                let file = path.file_name().unwrap().to_string_lossy().to_string();
                ids.insert(format!("{file}: {}", m.id.name));
            }
        }
    }
    ids
}

#[test]
fn every_message_exists_in_both_languages() {
    let kk = message_ids("kk");
    let ru = message_ids("ru");
    assert!(kk.len() > 40, "messages are found: {}", kk.len());
    let only_kk: Vec<_> = kk.difference(&ru).collect();
    let only_ru: Vec<_> = ru.difference(&kk).collect();
    assert!(
        only_kk.is_empty() && only_ru.is_empty(),
        "kk only: {only_kk:?}, ru only: {only_ru:?}"
    );
}

#[test]
fn kazakh_uses_its_own_letters_not_latin_look_alikes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/kk");
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
            let latin = word
                .chars()
                .any(|c| c.is_ascii_alphabetic() || c == 'ə' || c == 'Ə');
            assert!(!(cyrillic && latin), "mixed letters in {word:?}");
        }
    }
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
    assert_eq!(
        Lang::Kk.t_count("privacy-versions-count", 3),
        "3 нұсқа жарияланған."
    );
}

#[test]
fn every_field_error_has_a_message_in_both_languages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut used = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in source.split('"').skip(1).step_by(2) {
            let is_id = piece.contains("-error-")
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
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
