-- require-item.lua: refuse to add anything until a required product is in the cart.
--
-- Seed 003's "requires a specific item" recipe, with its logic corrected: adding the
-- required product itself is always allowed, and the rule looks for the product (or a
-- variation of it) anywhere in the cart.
--
-- Settings ([hooks.settings.require-item]):
--   required_product_id = 12                 -- the product that must be in the cart first
--   message = "..."                          -- optional; the refusal text
--
-- Hooks: cocart_ok_to_add (ok, product, product_id, quantity) and
-- cocart_ok_to_add_response (message, product, product_id, quantity), which CoCart fires
-- first. Both evaluate the rule themselves. The cart comes from cocart.cart(), the
-- request's cart snapshot; without one the cart counts as empty.

local required = tonumber(cocart.settings.required_product_id)
local message = cocart.settings.message
  or "This item requires a specific item to be added first to the cart."

if required == nil then
  cocart.log.warn("required_product_id is not set; require-item does nothing")
  return
end

local function cart_has_required()
  local cart = cocart.cart()
  local contents = cart and cart.contents
  if type(contents) ~= "table" then return false end
  for _, line in pairs(contents) do
    if line.product_id == required or line.variation_id == required then return true end
  end
  return false
end

local function blocked(product, product_id)
  local adding_required = product_id == required or (product and product.id == required)
  return not adding_required and not cart_has_required()
end

cocart.add_filter("cocart_ok_to_add_response", function(current, product, product_id)
  if blocked(product, product_id) then return message end
  return current
end)

cocart.add_filter("cocart_ok_to_add", function(ok, product, product_id)
  if ok and blocked(product, product_id) then return false end
  return ok
end)
