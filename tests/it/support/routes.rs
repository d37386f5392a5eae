//! The portal's routes as the code registers them: every `web::resource("…")` under `src/`
//! with the methods chained on it. Tests that must cover every route read them from here, so a
//! new route is covered (or reported) without anyone adding it to a list.

use std::path::Path;

#[derive(Debug, Clone)]
pub struct Route {
    /// The actix pattern, e.g. `/tickets/{id}/reply`.
    pub pattern: String,
    /// Upper-case methods: `GET`, `POST`, …
    pub methods: Vec<String>,
}

impl Route {
    /// Whether a concrete path (no query) is this route's.
    pub fn matches(&self, path: &str) -> bool {
        let ours: Vec<&str> = self.pattern.split('/').collect();
        let theirs: Vec<&str> = path.split('/').collect();
        ours.len() == theirs.len()
            && ours.iter().zip(&theirs).all(|(o, t)| match o.strip_prefix('{') {
                None => o == t,
                Some(param) => {
                    let param = param.trim_end_matches('}');
                    match param.split_once(':') {
                        // `{action:block|unblock}`: one of the alternatives.
                        Some((_, alternatives)) => alternatives.split('|').any(|a| a == *t),
                        None => !t.is_empty(),
                    }
                }
            })
    }

    pub fn has(&self, method: &str) -> bool {
        self.methods.iter().any(|m| m == method)
    }

    /// Whether the pattern has parameters (`{id}`).
    pub fn is_parametric(&self) -> bool {
        self.pattern.contains('{')
    }
}

/// Every resource registered under `src/`, in file order.
pub fn all() -> Vec<Route> {
    let mut files = Vec::new();
    collect(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    files.sort();
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        routes.extend(resources_in(&text));
    }
    assert!(routes.len() > 20, "the route tables were found: {routes:?}");
    routes
}

/// The route that serves `method` on `path`: a pattern without parameters first (the files
/// are read in another order than actix registers them, so `/schools/apply` must not be taken
/// for `/schools/{id}`).
pub fn find<'a>(routes: &'a [Route], method: &str, path: &str) -> Option<&'a Route> {
    let serving: Vec<&Route> = routes.iter().filter(|r| r.has(method) && r.matches(path)).collect();
    serving.iter().find(|r| !r.is_parametric()).or(serving.first()).copied()
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `web::resource("/x").get(a).post(b)`: the pattern, then the methods chained at the same
/// depth until the call that holds the resource closes.
fn resources_in(text: &str) -> Vec<Route> {
    const START: &str = "web::resource(\"";
    let mut routes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        rest = &rest[at + START.len()..];
        let Some(end) = rest.find('"') else { break };
        let pattern = rest[..end].to_string();
        let chain = &rest[end + 2..];
        let mut depth = 0i32;
        let mut methods = Vec::new();
        for (i, c) in chain.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                ';' => break,
                '.' if depth == 0 => {
                    let name: String =
                        chain[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                    if ["get", "post", "put", "patch", "delete"].contains(&name.as_str()) {
                        methods.push(name.to_ascii_uppercase());
                    }
                }
                _ => {}
            }
        }
        routes.push(Route { pattern, methods });
    }
    routes
}

#[test]
fn the_route_reader_sees_methods_and_parameters() {
    let text = r#"cfg.service(web::resource("/a").get(h::a).post(h::b))
        .service(
            web::resource("/u/{id}/{action:block|unblock}").post(h::c),
        )
        .service(web::resource("/x/{id}").get(f(1, g(2))));"#;
    let routes = resources_in(text);
    let got: Vec<(String, Vec<String>)> =
        routes.iter().map(|r| (r.pattern.clone(), r.methods.clone())).collect();
    assert_eq!(got[0], ("/a".to_string(), vec!["GET".to_string(), "POST".to_string()]));
    assert_eq!(got[1].1, ["POST"]);
    assert_eq!(got[2].1, ["GET"]);
    assert!(routes[1].matches("/u/5/block") && !routes[1].matches("/u/5/delete"));
    assert!(all().iter().any(|r| r.pattern == "/login" && r.has("POST")));
}
