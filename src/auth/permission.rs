//! Who may call which route (`auth.md` §5) and the registered-user guard on cart keys
//! (`cart-key-and-sessions.md` §4 step 3).
//!
//! Each requirement carries the refusal CoCart gives for it, so a handler only names the
//! requirement. The guard is stricter than live CoCart in two documented ways
//! (`compatibility-policy.md`): it runs on the cart key from every channel (CoCart skips
//! the `CoCart-API-Cart-Key` header), and only staff may work on another customer's cart
//! (CoCart lets any logged-in user do it, and copies a non-customer's cart into the
//! caller's).

use super::authenticator::{Principal, UserDirectory};
use super::error::AuthError;
use super::model::Role;

/// What a route demands of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Anyone (cart routes, products, store, logout).
    Public,
    /// Only callers that are not authenticated (`POST /cocart/v2/cart`, create a cart).
    Guest,
    /// Any authenticated user (`POST /cocart/v2/login`).
    LoggedIn,
    /// `manage_woocommerce`: administrators and shop managers (the session routes).
    ManageWoocommerce,
    /// The administrator role (`GET /cocart/v1/get-cart/customer/{id}`).
    Administrator,
}

/// Whether `principal` (`None` = anonymous) meets `requirement`, with CoCart's refusal
/// otherwise.
pub fn authorize(principal: Option<&Principal>, requirement: Requirement) -> Result<(), AuthError> {
    let refusal = match requirement {
        Requirement::Public => return Ok(()),
        Requirement::Guest if principal.is_none() => return Ok(()),
        Requirement::Guest => AuthError::cart_creation_not_allowed(),
        Requirement::LoggedIn if principal.is_some() => return Ok(()),
        Requirement::LoggedIn => AuthError::not_authorized(),
        Requirement::ManageWoocommerce
            if principal.is_some_and(Principal::can_manage_woocommerce) =>
        {
            return Ok(());
        }
        Requirement::ManageWoocommerce => AuthError::cannot_view(principal.is_some()),
        Requirement::Administrator
            if principal.is_some_and(|p| p.role() == Role::Administrator) =>
        {
            return Ok(());
        }
        Requirement::Administrator => AuthError::cannot_read_cart(),
    };
    Err(refusal)
}

/// CoCart's pre-dispatch lock-down gate for anonymous callers (`auth.md` §5, last row).
///
/// `locked` lists route fragments after `/cocart/` (the `cocart_api_permission_check_<method>`
/// filter result for this method, empty by default); `route` is the REST route. A route
/// equal to `/cocart/<fragment>` or below it refuses with 401, naming `READ` (`GET`),
/// `WRITE` (`POST`, `PUT`, `PATCH`, `DELETE`) or `OPTIONS`. As in CoCart, any other method
/// from an anonymous caller (`HEAD`, say) is refused whatever the list holds.
/// Authenticated callers always pass. Fragments match literally (CoCart splices them into
/// a regular expression).
pub fn check_route_lockdown(
    principal: Option<&Principal>,
    method: &str,
    route: &str,
    locked: &[String],
) -> Result<(), AuthError> {
    if principal.is_some() {
        return Ok(());
    }
    let access = match method.to_ascii_uppercase().as_str() {
        "GET" => "READ",
        "POST" | "PUT" | "PATCH" | "DELETE" => "WRITE",
        "OPTIONS" => "OPTIONS",
        _ => return Err(AuthError::route_unknown_method(route)),
    };
    let is_locked = locked.iter().any(|fragment| {
        route
            .strip_prefix("/cocart/")
            .and_then(|rest| rest.strip_prefix(fragment.as_str()))
            .is_some_and(|tail| tail.is_empty() || tail.starts_with('/'))
    });
    if is_locked {
        Err(AuthError::route_needs_authentication(access, route))
    } else {
        Ok(())
    }
}

/// Whose cart a requested cart key names, once the guard let it through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartKeyOwner {
    /// Not a registered user's ID: a guest key (an authenticated caller's request
    /// transfers that cart to their own, `cart-key-and-sessions.md` §6).
    Guest,
    /// A customer's ID, named by staff working on that customer's cart: the active key
    /// stays this ID and no transfer happens.
    Customer(u64),
}

/// The registered-user guard for a requested cart key (already normalised, from the
/// header or the `cart_key` parameter alike).
///
/// A key that is a user's ID (in canonical decimal form) is refused with 403
/// `cocart_must_authenticate_user` for anonymous callers and for callers who are not
/// staff naming a customer, and with 403 `cocart_already_authenticating_user` when it
/// is the caller's own ID. Both use the `{"success":false,"data":[…]}` shape.
pub fn check_cart_key(
    principal: Option<&Principal>,
    cart_key: &str,
    directory: &dyn UserDirectory,
) -> Result<CartKeyOwner, AuthError> {
    let Some(user_id) = canonical_user_id(cart_key) else {
        return Ok(CartKeyOwner::Guest);
    };
    let Some(owner) = directory.user_by_id(user_id)? else {
        return Ok(CartKeyOwner::Guest);
    };
    match principal {
        None => Err(AuthError::must_authenticate_user()),
        Some(caller) if caller.user_id() == owner.id => {
            Err(AuthError::already_authenticating_user())
        }
        Some(caller) if caller.can_manage_woocommerce() && owner.role == Role::Customer => {
            Ok(CartKeyOwner::Customer(owner.id))
        }
        Some(_) => Err(AuthError::must_authenticate_user()),
    }
}

/// The user ID a cart key spells, if it is a positive decimal with no leading zero (the
/// form a customer's cart key takes; `042` is a different key from `42`).
fn canonical_user_id(cart_key: &str) -> Option<u64> {
    let id: u64 = cart_key.parse().ok()?;
    (id > 0 && id.to_string() == cart_key).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::testing::{Fixture, principal};

    #[test]
    fn public_routes_admit_everyone() {
        let fx = Fixture::new();
        assert!(authorize(None, Requirement::Public).is_ok());
        assert!(authorize(Some(&principal(&fx.customer)), Requirement::Public).is_ok());
    }

    #[test]
    fn create_cart_is_for_guests_only() {
        let fx = Fixture::new();
        assert!(authorize(None, Requirement::Guest).is_ok());
        let err = authorize(Some(&principal(&fx.customer)), Requirement::Guest).unwrap_err();
        assert_eq!(
            (err.status, err.code, err.message.as_str()),
            (
                403,
                "cocart_rest_cart_creation_not_allowed",
                "You are already logged in so a cart is already created for you."
            )
        );
    }

    #[test]
    fn login_needs_a_user() {
        let fx = Fixture::new();
        let err = authorize(None, Requirement::LoggedIn).unwrap_err();
        assert_eq!(
            (err.status, err.code, err.message.as_str()),
            (
                401,
                "cocart_rest_not_authorized",
                "Sorry, you are not authorized."
            )
        );
        assert!(authorize(Some(&principal(&fx.customer)), Requirement::LoggedIn).is_ok());
    }

    #[test]
    fn sessions_need_manage_woocommerce_401_anonymous_403_customer() {
        let fx = Fixture::new();
        let anonymous = authorize(None, Requirement::ManageWoocommerce).unwrap_err();
        assert_eq!(
            (anonymous.status, anonymous.code),
            (401, "cocart_rest_cannot_view")
        );
        let customer = authorize(
            Some(&principal(&fx.customer)),
            Requirement::ManageWoocommerce,
        )
        .unwrap_err();
        assert_eq!(
            (customer.status, customer.code),
            (403, "cocart_rest_cannot_view")
        );
        assert_eq!(customer.message, "Sorry, you cannot list resources.");
        assert!(
            authorize(
                Some(&principal(&fx.manager)),
                Requirement::ManageWoocommerce
            )
            .is_ok()
        );
        assert!(authorize(Some(&principal(&fx.admin)), Requirement::ManageWoocommerce).is_ok());
    }

    #[test]
    fn customer_cart_lookup_needs_the_administrator_role() {
        let fx = Fixture::new();
        assert!(authorize(Some(&principal(&fx.admin)), Requirement::Administrator).is_ok());
        for caller in [
            None,
            Some(principal(&fx.manager)),
            Some(principal(&fx.customer)),
        ] {
            let err = authorize(caller.as_ref(), Requirement::Administrator).unwrap_err();
            assert_eq!(
                (err.status, err.code, err.message.as_str()),
                (401, "cocart_cannot_read_cart", "Cannot read cart!")
            );
        }
    }

    #[test]
    fn guard_refuses_anonymous_callers_naming_a_user() {
        let fx = Fixture::new();
        let err = check_cart_key(None, "3", &fx).unwrap_err();
        assert_eq!(
            (err.status, err.code),
            (403, "cocart_must_authenticate_user")
        );
        assert_eq!(err.shape, crate::auth::ErrorShape::GuardList);
        // An administrator's ID is guarded too.
        assert!(check_cart_key(None, "1", &fx).is_err());
    }

    #[test]
    fn guard_refuses_the_callers_own_id() {
        let fx = Fixture::new();
        let err = check_cart_key(Some(&principal(&fx.customer)), "3", &fx).unwrap_err();
        assert_eq!(
            (err.status, err.code),
            (403, "cocart_already_authenticating_user")
        );
    }

    #[test]
    fn guard_lets_staff_work_on_a_customers_cart_only() {
        let fx = Fixture::new();
        assert_eq!(
            check_cart_key(Some(&principal(&fx.manager)), "3", &fx).unwrap(),
            CartKeyOwner::Customer(3)
        );
        assert_eq!(
            check_cart_key(Some(&principal(&fx.admin)), "3", &fx).unwrap(),
            CartKeyOwner::Customer(3)
        );
        // Another customer may not, nor may staff name another staff member's cart.
        let other = check_cart_key(Some(&principal(&fx.other_customer)), "3", &fx).unwrap_err();
        assert_eq!(other.code, "cocart_must_authenticate_user");
        let staff = check_cart_key(Some(&principal(&fx.manager)), "1", &fx).unwrap_err();
        assert_eq!(staff.code, "cocart_must_authenticate_user");
    }

    #[test]
    fn guest_keys_and_non_ids_pass() {
        let fx = Fixture::new();
        for key in [
            "t_898701a368d794a4952ccefdc738b2",
            "999",
            "042",
            "0",
            "",
            "3a",
        ] {
            assert_eq!(
                check_cart_key(None, key, &fx).unwrap(),
                CartKeyOwner::Guest,
                "{key}"
            );
        }
        assert_eq!(
            check_cart_key(Some(&principal(&fx.customer)), "abc", &fx).unwrap(),
            CartKeyOwner::Guest
        );
    }
    #[test]
    fn lockdown_refuses_anonymous_callers_on_listed_routes_only() {
        let fx = Fixture::new();
        let locked = vec!["v2/cart/clear".to_owned()];
        let err = check_route_lockdown(None, "POST", "/cocart/v2/cart/clear", &locked).unwrap_err();
        assert_eq!(
            (err.status, err.code, err.message.as_str()),
            (
                401,
                "cocart_rest_permission_error",
                "Permission to WRITE /cocart/v2/cart/clear is only permitted if the user is authenticated."
            )
        );
        let read =
            check_route_lockdown(None, "GET", "/cocart/v2/cart/clear/x", &locked).unwrap_err();
        assert!(read.message.starts_with("Permission to READ "));
        let options = check_route_lockdown(None, "OPTIONS", "/cocart/v2/cart/clear", &locked);
        assert!(
            options
                .unwrap_err()
                .message
                .starts_with("Permission to OPTIONS ")
        );
        assert!(check_route_lockdown(None, "POST", "/cocart/v2/cart/clearance", &locked).is_ok());
        assert!(check_route_lockdown(None, "POST", "/cocart/v2/cart", &locked).is_ok());
        let customer = principal(&fx.customer);
        assert!(
            check_route_lockdown(Some(&customer), "POST", "/cocart/v2/cart/clear", &locked).is_ok()
        );
    }

    #[test]
    fn lockdown_refuses_anonymous_head_whatever_the_list() {
        let err = check_route_lockdown(None, "HEAD", "/cocart/v2/cart", &[]).unwrap_err();
        assert_eq!(
            (err.status, err.message.as_str()),
            (401, "Unknown request method for /cocart/v2/cart.")
        );
    }
}
