use super::*;

/// The shared identifiers (the same file as `/work/shared/testdata/kz-identifiers.json`).
fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../tests/data/kz-identifiers.json")).unwrap()
}

/// What was found, as (kind, text).
fn found(text: &str) -> Vec<(Kind, &str)> {
    find(text).into_iter().map(|f| (f.kind, &text[f.range])).collect()
}

// What the reviews hold.

#[test]
fn valid_iins_are_found_inside_text_and_invalid_ones_as_plain_numbers() {
    let v = vectors();
    for iin in v["iin_valid"].as_array().unwrap() {
        let iin = iin.as_str().unwrap();
        let text = format!("Менің ЖСН: {iin}, хабарласыңыз");
        assert_eq!(found(&text), [(Kind::Iin, iin)]);
    }
    // A typo is no IIN nor phone, but still a long number: masked and held all the same.
    for iin in v["iin_invalid"].as_object().unwrap().keys() {
        let found = first_kind(&format!("Номер {iin} в тексте"));
        assert_eq!(found, Some(Kind::Number), "{iin} fails the check");
    }
    assert_eq!(found("ИИН 7910 2830 2728"), [(Kind::Iin, "7910 2830 2728")]);
}

#[test]
fn kazakh_mobiles_are_found_however_they_are_written() {
    let v = vectors();
    for phone in v["phone_kz_mobile_valid"].as_array().unwrap() {
        let phone = phone.as_str().unwrap();
        assert_eq!(found(&format!("звоните {phone}!")), [(Kind::Phone, phone)]);
    }
    for (text, phone) in [
        ("тел. 8 701 123 45 67", "8 701 123 45 67"),
        ("+7 (701) 123-45-67 после обеда", "+7 (701) 123-45-67"),
        ("8-777-123-45-67", "8-777-123-45-67"),
        ("номер 701 123 4567", "701 123 4567"),
        ("звоните 8 701 123 45 67 2024 года", "8 701 123 45 67"),
        ("8.701.123.45.67", "8.701.123.45.67"),
        ("Тел87011234567", "87011234567"),
    ] {
        assert_eq!(found(text), [(Kind::Phone, phone)], "{text}");
    }
    // Not Kazakh mobiles — a landline range, a Russian number — but numbers someone answers.
    for text in v["phone_invalid"].as_object().unwrap().keys() {
        assert_eq!(found(text), [(Kind::Number, text.as_str())], "{text}");
    }
    assert_eq!(first_kind("звоните 123-45-67"), Some(Kind::Number));
}

#[test]
fn emails_and_document_numbers_are_found() {
    assert_eq!(found("пишите на (aigerim.k@mail.kz)."), [(Kind::Email, "aigerim.k@mail.kz")]);
    assert_eq!(first_kind("удостоверение 043123456"), Some(Kind::IdCard));
    assert_eq!(found("удостоверение 043 123 456"), [(Kind::IdCard, "043 123 456")]);
    assert_eq!(first_kind("a@b и @school"), None);
    assert_eq!(found("паспорт N12345678"), [(Kind::Passport, "N12345678")]);
    assert_eq!(found("паспорт н1234567."), [(Kind::Passport, "н1234567")]);
    // Digits in an address are the address's.
    assert_eq!(found("043123456@mail.kz"), [(Kind::Email, "043123456@mail.kz")]);
    assert_eq!(found("mail:'o'brien@почта.қаз'"), [(Kind::Email, "o'brien@почта.қаз")]);
}

#[test]
fn ordinary_numbers_are_not_personal_data() {
    for text in [
        "5 stars, 10 из 10",
        "Учился в 2024 году, сдал с 1-го раза",
        "Стоимость 150 000 тенге, 56 часов вождения",
        "Категория B, группа 12, 3 месяца",
        "Автобус 2024-2025",
        "Машина 123ABC01, кабинет A1234567890",
        "Экзамен 12-05-2026, пересдача 2026-05-19",
        "Занятие 12.05.2026 в 10:00, группа 25 человек, 150 000 тенге, кабинет 3-12.",
        "кабинет A123456789",
        "",
    ] {
        assert_eq!(find(text), [], "{text}");
    }
}

#[test]
fn everything_is_found_in_reading_order_as_byte_ranges() {
    let text = "Әлия, aliya@mail.kz, ЖСН 901123300258; +77011234567 и 1 500 000 ₸";
    assert_eq!(
        found(text),
        [
            (Kind::Email, "aliya@mail.kz"),
            (Kind::Iin, "901123300258"),
            (Kind::Phone, "+77011234567"),
            (Kind::Number, "1 500 000"),
        ]
    );
    assert_eq!(first_kind(text), Some(Kind::Email));
    let ranges: Vec<_> = find(text).into_iter().map(|f| f.range).collect();
    assert!(ranges.windows(2).all(|w| w[0].end <= w[1].start));
    // An IIN right next to a phone is two things, not one long number.
    assert_eq!(
        found("901123300258 87011234567"),
        [(Kind::Iin, "901123300258"), (Kind::Phone, "87011234567")]
    );
}

#[test]
fn codes_are_stored_and_every_one_has_its_messages() {
    let files = [
        include_str!("../../../locales/ru/reviews.ftl"),
        include_str!("../../../locales/kk/reviews.ftl"),
        include_str!("../../../locales/ru/moderation.ftl"),
        include_str!("../../../locales/kk/moderation.ftl"),
    ];
    for kind in Kind::ALL {
        assert_eq!(Kind::from_code(kind.code()), Some(kind));
        let id = kind.code().replace('_', "-");
        for (n, file) in files.iter().enumerate() {
            let prefix = if n < 2 { "reviews" } else { "moderation" };
            let message = format!("\n{prefix}-pd-{id} = ");
            assert!(file.contains(&message), "{message:?} in file {n}");
        }
    }
    let codes: Vec<_> = Kind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(codes, ["iin", "phone", "email", "id_card", "passport", "number"]);
    assert_eq!(Kind::from_code("other"), None);
}

// What the ticket mails show.

#[test]
fn iins_phones_and_document_numbers_keep_only_their_last_four_digits() {
    assert_eq!(mask("ИИН 901123300258."), "ИИН ********0258.");
    assert_eq!(mask("тел. +77011234567"), "тел. *******4567");
    assert_eq!(mask("+7 (701) 123-45-67, звоните"), "*******4567, звоните");
    assert_eq!(mask("8 701 123 45 67"), "*******4567");
    assert_eq!(mask("удостоверение 043123456"), "удостоверение *****3456");
    assert_eq!(mask("паспорт N12345678"), "паспорт *****5678");
    assert_eq!(mask("ИИН:901123300258"), "ИИН:********0258");
    assert_eq!(mask("карта 4400 4301 2345 6789"), "карта ************6789");
    assert_eq!(mask("(701) 123-45-67"), "******4567");
}

#[test]
fn emails_keep_a_first_letter_and_the_top_level_domain() {
    assert_eq!(mask("пишите на aliya.s@mail.kz."), "пишите на a*****@*****.kz.");
    assert_eq!(mask("(ivan+1@gov.example.com)"), "(i*****@*****.com)");
    assert_eq!(mask("a@b"), "a@b");
    assert_eq!(mask("@home"), "@home");
}

#[test]
fn dates_times_and_small_numbers_stay() {
    let text = "Занятие 12.05.2026 в 10:00, группа 25 человек, 150 000 тенге, кабинет 3-12.";
    assert_eq!(mask(text), text);
    assert_eq!(mask(""), "");
}

#[test]
fn several_items_in_one_text_are_all_masked_and_nothing_else_changes() {
    let masked = mask("Әлия, 901123300258, +77011234567\naliya@mail.kz — рахмет!");
    assert_eq!(masked, "Әлия, ********0258, *******4567\na*****@*****.kz — рахмет!");
}
