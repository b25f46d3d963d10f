-- cap-quantity.lua: no cart line may hold more than 10 units.
--
-- Settings ([hooks.settings.cap-quantity]):
--   max_units = 10                           -- optional; the cap
--
-- Hooks:
-- - cocart_quantity_maximum_allowed (max, product): the largest quantity a line may
--   have; "" or -1 mean "no limit". cartd checks adds and updates against it (v2), and
--   reports it as the item's max_purchase.
-- - cocart_add_to_cart_quantity (quantity, product_id, ...): the quantity actually
--   added, which also covers the v1 add route.

local cap = tonumber(cocart.settings.max_units) or 10

cocart.add_filter("cocart_quantity_maximum_allowed", function(max)
  local limit = tonumber(max)
  if limit == nil or limit < 0 or limit > cap then return cap end
  return max
end)

cocart.add_filter("cocart_add_to_cart_quantity", function(quantity)
  local requested = tonumber(quantity)
  if requested ~= nil and requested > cap then return cap end
  return quantity
end)
