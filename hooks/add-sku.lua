-- add-sku.lua: return each line's SKU with the cart (seed 003's "return more item
-- details" recipe).
--
-- Hook: cocart_cart_contents (contents, item_key, line, product), fired once per line
-- with the v1 lines on v1 and the v2 items on v2; the filter must return the whole
-- contents map. Priority 15, as in the seed.

cocart.add_filter("cocart_cart_contents", function(contents, item_key, _line, product)
  local entry = contents[item_key]
  if entry ~= nil and product ~= nil then
    entry.sku = product.sku
  end
  return contents
end, 15)
