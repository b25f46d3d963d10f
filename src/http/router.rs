//! The route table: one declaration per route drives routing, argument validation and the
//! namespace index.
//!
//! Routes are declared as data (WordPress's own route format: a path with
//! `(?P<name>[\w]+)` captures, endpoints with methods and argument schemas) plus the name
//! of the handler that serves each endpoint. Loading the table checks that every handler
//! name is known, so a declared route can never lack its handler. Matching is two steps
//! (anchors: route first, then one `match` on the handler): [`RouteTable::find`] has no
//! side effects and is unit-tested with a method + path table.

use std::str::FromStr;

use hyper::Method;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// A route table that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// The declaration is not valid JSON of the expected shape.
    #[error("route table: {0}")]
    Parse(#[from] serde_json::Error),
    /// An endpoint names a handler that does not exist.
    #[error("route {route}: unknown handler {handler:?}")]
    UnknownHandler {
        /// The route path.
        route: String,
        /// The handler name.
        handler: String,
    },
    /// A route path cannot be routed.
    #[error("route {route}: {problem}")]
    BadPattern {
        /// The route path.
        route: String,
        /// What is wrong.
        problem: String,
    },
}

#[derive(Deserialize)]
struct RouteDecl {
    route: String,
    endpoints: Vec<EndpointDecl>,
}

#[derive(Deserialize)]
struct EndpointDecl {
    methods: Vec<String>,
    handler: String,
    #[serde(default)]
    allow_batch: bool,
    #[serde(default)]
    args: Map<String, Value>,
    #[serde(default)]
    permission: Option<String>,
}

/// One route: a path pattern and its endpoints.
#[derive(Debug)]
pub struct Route<H> {
    /// The path as WordPress shows it, e.g. `/cocart/v2/cart/item/(?P<item_key>[\w]+)`.
    pub path: String,
    /// The namespace, e.g. `cocart/v2`.
    pub namespace: String,
    /// The endpoints in declaration order; the first whose methods include the request's
    /// method serves it.
    pub endpoints: Vec<Endpoint<H>>,
    captures: Vec<(String, CharClass)>,
}

/// One method group of a route and the handler that serves it.
#[derive(Debug)]
pub struct Endpoint<H> {
    /// Methods this endpoint answers.
    pub methods: Vec<Method>,
    /// The handler.
    pub handler: H,
    /// Argument schemas in WordPress's format, in declaration order.
    pub args: Map<String, Value>,
    /// Whether WordPress's batch endpoint may carry it (shown in the index).
    pub allow_batch: bool,
    /// Who may call it, as named in the declaration (the application interprets it);
    /// `None` for public endpoints.
    pub permission: Option<String>,
}

/// The characters a path capture accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CharClass {
    /// `[\w]+`: letters, digits and `_`.
    Word,
    /// `[\w-]+`: word characters and `-`.
    WordOrDash,
    /// `[\d]+`: digits.
    Digit,
}

impl CharClass {
    fn parse(class: &str) -> Option<CharClass> {
        match class {
            r"[\w]+" | r"\w+" | r"[A-Za-z0-9_]+" => Some(CharClass::Word),
            r"[\w-]+" => Some(CharClass::WordOrDash),
            r"[\d]+" | r"\d+" => Some(CharClass::Digit),
            _ => None,
        }
    }

    fn accepts(self, value: &str) -> bool {
        !value.is_empty()
            && value.chars().all(|c| match self {
                CharClass::Word => c.is_alphanumeric() || c == '_',
                CharClass::WordOrDash => c.is_alphanumeric() || c == '_' || c == '-',
                CharClass::Digit => c.is_ascii_digit(),
            })
    }
}

/// What a method and path resolve to.
pub enum Found<'a, H> {
    /// A route and the endpoint for the method, with the path captures.
    Endpoint {
        /// The matched route.
        route: &'a Route<H>,
        /// The endpoint serving the method.
        endpoint: &'a Endpoint<H>,
        /// Path captures by name.
        captures: Map<String, Value>,
    },
    /// The path exists but not for this method (WordPress still answers 404); `OPTIONS`
    /// requests use the route.
    OtherMethod(&'a Route<H>),
    /// No route has this path.
    Nothing,
}

/// All routes, and the matcher over their paths.
pub struct RouteTable<H> {
    routes: Vec<Route<H>>,
    matcher: matchit::Router<usize>,
}

impl<H: FromStr> RouteTable<H> {
    /// Loads a table from its JSON declaration.
    pub fn from_json(declaration: &str) -> Result<Self, RouteError> {
        Self::from_json_parts(&[declaration])
    }

    /// Loads a table from several JSON declarations (one per route group), in order. A
    /// path declared in more than one group is one route with the endpoints of all.
    pub fn from_json_parts(declarations: &[&str]) -> Result<Self, RouteError> {
        let mut decls: Vec<RouteDecl> = Vec::new();
        for declaration in declarations {
            decls.extend(serde_json::from_str::<Vec<RouteDecl>>(declaration)?);
        }
        let mut routes: Vec<Route<H>> = Vec::with_capacity(decls.len());
        let mut matcher = matchit::Router::new();
        for decl in decls {
            let (pattern, captures) = compile_pattern(&decl.route)?;
            let namespace = decl
                .route
                .trim_start_matches('/')
                .splitn(3, '/')
                .take(2)
                .collect::<Vec<_>>()
                .join("/");
            let endpoints = decl
                .endpoints
                .into_iter()
                .map(|e| {
                    let handler =
                        H::from_str(&e.handler).map_err(|_| RouteError::UnknownHandler {
                            route: decl.route.clone(),
                            handler: e.handler.clone(),
                        })?;
                    let methods = e
                        .methods
                        .iter()
                        .map(|m| Method::from_bytes(m.as_bytes()))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|err| RouteError::BadPattern {
                            route: decl.route.clone(),
                            problem: err.to_string(),
                        })?;
                    Ok(Endpoint {
                        methods,
                        handler,
                        args: e.args,
                        allow_batch: e.allow_batch,
                        permission: e.permission,
                    })
                })
                .collect::<Result<Vec<_>, RouteError>>()?;
            // A path declared again (by another route group) adds its endpoints to the
            // first declaration, as `register_rest_route` merges them in WordPress.
            if let Some(declared) = routes.iter_mut().find(|route| route.path == decl.route) {
                declared.endpoints.extend(endpoints);
                continue;
            }
            matcher
                .insert(pattern.to_ascii_lowercase(), routes.len())
                .map_err(|err| RouteError::BadPattern {
                    route: decl.route.clone(),
                    problem: err.to_string(),
                })?;
            routes.push(Route {
                path: decl.route,
                namespace,
                endpoints,
                captures,
            });
        }
        Ok(RouteTable { routes, matcher })
    }
}

impl<H> RouteTable<H> {
    /// Resolves a method and a REST path (`/cocart/v2/cart`, without `/wp-json`).
    /// Matching ignores case and a trailing slash; captures keep their case.
    pub fn find(&self, method: &Method, path: &str) -> Found<'_, H> {
        let trimmed = match path.trim_end_matches('/') {
            "" => "/",
            p => p,
        };
        let lowered = trimmed.to_ascii_lowercase();
        let Ok(matched) = self.matcher.at(&lowered) else {
            return Found::Nothing;
        };
        let route = &self.routes[*matched.value];
        let mut captures = Map::new();
        for (name, class) in &route.captures {
            // Take the capture from the original path: same byte offsets, original case.
            let Some(lowered_value) = matched.params.get(name.as_str()) else {
                return Found::Nothing;
            };
            let start = lowered_value.as_ptr() as usize - lowered.as_ptr() as usize;
            let value = &trimmed[start..start + lowered_value.len()];
            if !class.accepts(value) {
                return Found::Nothing;
            }
            captures.insert(name.clone(), Value::String(value.to_owned()));
        }
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        match route.endpoints.iter().find(|e| e.methods.contains(method)) {
            Some(endpoint) => Found::Endpoint {
                route,
                endpoint,
                captures,
            },
            None => Found::OtherMethod(route),
        }
    }

    /// Every route, in declaration order.
    pub fn routes(&self) -> &[Route<H>] {
        &self.routes
    }
}

impl<H> Route<H> {
    /// The methods of all endpoints, in order (duplicates kept, as WordPress shows them).
    pub fn methods(&self) -> Vec<&str> {
        self.endpoints
            .iter()
            .flat_map(|e| e.methods.iter().map(Method::as_str))
            .collect()
    }

    /// The `Allow` header value: each method once.
    pub fn allow_header(&self) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for m in self.methods() {
            if !seen.contains(&m) {
                seen.push(m);
            }
        }
        seen.join(", ")
    }

    /// This route as the namespace index shows it.
    pub fn index_entry(&self, base_url: &str) -> Value {
        let endpoints: Vec<Value> = self
            .endpoints
            .iter()
            .map(|e| {
                let mut entry = Map::new();
                entry.insert(
                    "methods".into(),
                    json!(e.methods.iter().map(Method::as_str).collect::<Vec<_>>()),
                );
                if e.allow_batch {
                    entry.insert("allow_batch".into(), json!({"v1": true}));
                }
                let args: Map<String, Value> = e
                    .args
                    .iter()
                    .map(|(name, schema)| {
                        let mut schema = schema.clone();
                        if let Value::Object(members) = &mut schema {
                            members.remove("validate");
                        }
                        (name.clone(), schema)
                    })
                    .collect();
                entry.insert(
                    "args".into(),
                    if args.is_empty() {
                        json!([])
                    } else {
                        Value::Object(args)
                    },
                );
                Value::Object(entry)
            })
            .collect();
        let mut entry = Map::new();
        entry.insert("namespace".into(), json!(self.namespace));
        entry.insert("methods".into(), json!(self.methods()));
        entry.insert("endpoints".into(), Value::Array(endpoints));
        if self.captures.is_empty() {
            entry.insert(
                "_links".into(),
                json!({"self": [{"href": format!("{base_url}{}", self.path)}]}),
            );
        }
        Value::Object(entry)
    }
}

/// Turns `/a/(?P<id>[\d]+)/b` into the matcher pattern `/a/{id}/b` and its capture classes.
fn compile_pattern(route: &str) -> Result<(String, Vec<(String, CharClass)>), RouteError> {
    let bad = |problem: &str| RouteError::BadPattern {
        route: route.to_owned(),
        problem: problem.to_owned(),
    };
    let mut pattern = String::with_capacity(route.len());
    let mut captures = Vec::new();
    let mut rest = route;
    while let Some(start) = rest.find("(?P<") {
        pattern.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let name_end = after
            .find('>')
            .ok_or_else(|| bad("unterminated capture name"))?;
        let name = &after[..name_end];
        let body = &after[name_end + 1..];
        let class_end = body.find(')').ok_or_else(|| bad("unterminated capture"))?;
        let class =
            CharClass::parse(&body[..class_end]).ok_or_else(|| bad("unsupported capture class"))?;
        pattern.push('{');
        pattern.push_str(name);
        pattern.push('}');
        captures.push((name.to_owned(), class));
        rest = &body[class_end + 1..];
    }
    pattern.push_str(rest);
    Ok((pattern, captures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Clone, Copy)]
    enum H {
        Cart,
        CartCreate,
        Item,
        ItemUpdate,
        ItemRestore,
        Product,
        Category,
    }

    impl FromStr for H {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            Ok(match s {
                "cart" => H::Cart,
                "cart_create" => H::CartCreate,
                "item" => H::Item,
                "item_update" => H::ItemUpdate,
                "item_restore" => H::ItemRestore,
                "product" => H::Product,
                "category" => H::Category,
                _ => return Err(()),
            })
        }
    }

    const TABLE: &str = r#"[
        {"route": "/cocart/v2/cart", "endpoints": [
            {"methods": ["GET"], "handler": "cart", "allow_batch": true, "args": {"thumb": {"type": "boolean", "default": true}}},
            {"methods": ["POST"], "handler": "cart_create"}]},
        {"route": "/cocart/v2/cart/item/(?P<item_key>[\\w]+)", "endpoints": [
            {"methods": ["GET"], "handler": "item"},
            {"methods": ["POST"], "handler": "item_update"},
            {"methods": ["POST", "PUT", "PATCH"], "handler": "item_restore"}]},
        {"route": "/cocart/v2/products/(?P<id>[\\w-]+)", "endpoints": [{"methods": ["GET"], "handler": "product"}]},
        {"route": "/cocart/v2/products/categories/(?P<id>[\\d]+)", "endpoints": [{"methods": ["GET"], "handler": "category"}]}
    ]"#;

    fn handler(
        table: &RouteTable<H>,
        method: Method,
        path: &str,
    ) -> Option<(H, Map<String, Value>)> {
        match table.find(&method, path) {
            Found::Endpoint {
                endpoint, captures, ..
            } => Some((endpoint.handler, captures)),
            _ => None,
        }
    }

    #[test]
    fn method_and_path_resolve_to_handlers() {
        let table = RouteTable::<H>::from_json(TABLE).unwrap();
        let cases: &[(Method, &str, Option<H>)] = &[
            (Method::GET, "/cocart/v2/cart", Some(H::Cart)),
            (Method::HEAD, "/cocart/v2/cart", Some(H::Cart)),
            (Method::GET, "/cocart/v2/cart/", Some(H::Cart)),
            (Method::GET, "/CoCart/V2/Cart", Some(H::Cart)),
            (Method::POST, "/cocart/v2/cart", Some(H::CartCreate)),
            (Method::DELETE, "/cocart/v2/cart", None),
            (Method::GET, "/cocart/v2/cart/item/abc123", Some(H::Item)),
            (
                Method::POST,
                "/cocart/v2/cart/item/abc123",
                Some(H::ItemUpdate),
            ),
            (
                Method::PATCH,
                "/cocart/v2/cart/item/abc123",
                Some(H::ItemRestore),
            ),
            (Method::GET, "/cocart/v2/cart/item/abc-123", None),
            (
                Method::GET,
                "/cocart/v2/products/polo-shirt",
                Some(H::Product),
            ),
            (
                Method::GET,
                "/cocart/v2/products/categories/16",
                Some(H::Category),
            ),
            (Method::GET, "/cocart/v2/products/categories/abc", None),
            (Method::GET, "/cocart/v2/nothing", None),
        ];
        for (method, path, expected) in cases {
            assert_eq!(
                handler(&table, method.clone(), path).map(|(h, _)| h),
                *expected,
                "{method} {path}"
            );
        }
        let (_, captures) = handler(&table, Method::GET, "/cocart/v2/cart/item/AbC").unwrap();
        assert_eq!(captures["item_key"], "AbC");
    }

    #[test]
    fn a_path_declared_by_two_groups_is_one_route_with_both_endpoints() {
        let extra = r#"[{"route": "/cocart/v2/cart", "endpoints": [{"methods": ["DELETE"], "handler": "item"}]}]"#;
        let table = RouteTable::<H>::from_json_parts(&[TABLE, extra]).unwrap();
        assert_eq!(
            handler(&table, Method::DELETE, "/cocart/v2/cart").map(|(h, _)| h),
            Some(H::Item)
        );
        assert_eq!(
            handler(&table, Method::GET, "/cocart/v2/cart").map(|(h, _)| h),
            Some(H::Cart)
        );
        let cart = table
            .routes()
            .iter()
            .filter(|route| route.path == "/cocart/v2/cart")
            .collect::<Vec<_>>();
        assert_eq!(cart.len(), 1);
        assert_eq!(cart[0].methods(), ["GET", "POST", "DELETE"]);
    }

    #[test]
    fn unknown_handler_names_are_refused() {
        let err = RouteTable::<H>::from_json(
            r#"[{"route": "/x/v1/y", "endpoints": [{"methods": ["GET"], "handler": "nope"}]}]"#,
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("nope"));
    }

    #[test]
    fn index_entries_follow_wordpress() {
        let table = RouteTable::<H>::from_json(TABLE).unwrap();
        let cart = &table.routes()[0];
        assert_eq!(cart.allow_header(), "GET, POST");
        assert_eq!(
            cart.index_entry("http://h/wp-json").to_string(),
            r#"{"namespace":"cocart/v2","methods":["GET","POST"],"endpoints":[{"methods":["GET"],"allow_batch":{"v1":true},"args":{"thumb":{"type":"boolean","default":true}}},{"methods":["POST"],"args":[]}],"_links":{"self":[{"href":"http://h/wp-json/cocart/v2/cart"}]}}"#
        );
        let item = &table.routes()[1];
        assert_eq!(item.methods(), ["GET", "POST", "POST", "PUT", "PATCH"]);
        assert!(item.index_entry("x").get("_links").is_none());
    }
}
