//! A readable device name from a user agent: browser, operating system and, where the user
//! agent names it, the phone model.

pub fn describe(user_agent: &str) -> String {
    let parsed = woothee::parser::Parser::new().parse(user_agent);
    let mut parts: Vec<String> = Vec::new();
    if let Some(r) = &parsed {
        if r.name != "UNKNOWN" {
            parts.push(r.name.to_string());
        }
        if r.os != "UNKNOWN" {
            let os = if r.os_version.is_empty() || r.os_version == "UNKNOWN" {
                r.os.to_string()
            } else {
                format!("{} {}", r.os, r.os_version)
            };
            parts.push(os);
        }
    }
    if let Some(model) = android_model(user_agent) {
        parts.push(model);
    } else if user_agent.contains("iPhone") {
        parts.push("iPhone".into());
    }
    if parts.is_empty() { "—".into() } else { parts.join(", ") }
}

/// Android user agents carry the model: `(Linux; Android 13; SM-A515F Build/…)`.
fn android_model(ua: &str) -> Option<String> {
    let start = ua.find("Android")?;
    let inside = &ua[start..ua[start..].find(')').map_or(ua.len(), |e| start + e)];
    let model = inside.split(';').nth(1)?.trim();
    let model = model.split(" Build").next()?.trim();
    (!model.is_empty() && model != "K" && model != "wv").then(|| model.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_systems_and_phone_models_are_named() {
        let android = "Mozilla/5.0 (Linux; Android 13; SM-A515F Build/TP1A.220624.014) AppleWebKit/537.36 \
                       (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
        let d = describe(android);
        assert!(d.contains("Chrome") && d.contains("Android") && d.contains("SM-A515F"), "{d}");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        let d = describe(iphone);
        assert!(d.contains("Safari") && d.contains("iPhone"), "{d}");
        assert_eq!(describe(""), "—");
    }
}
