-- log-added.lua: log every item added to a cart.
--
-- Hook: cocart_item_added_to_cart (item_key, line, request). v2 passes the request,
-- v1 does not; after a merge `line.quantity` is the line's new total.

cocart.add_action("cocart_item_added_to_cart", function(item_key, line, request)
  local product = line.product_id
  if line.variation_id ~= nil and line.variation_id ~= 0 then
    product = string.format("%d (variation %d)", line.product_id, line.variation_id)
  end
  cocart.log.info(string.format("added product %s x%s as line %s (%s)",
    tostring(product), tostring(line.quantity), item_key, request and "v2" or "v1"))
end)
