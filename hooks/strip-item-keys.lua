-- strip-item-keys.lua: return the v1 cart as a list of lines instead of a map keyed by
-- item key (seed 003's "return cart contents" recipe).
--
-- Hook: cocart_return_cart_contents (contents) at priority 0. The lines keep the order
-- they were added in (cocart.ordered_pairs); each line still carries its own `key`.

cocart.add_filter("cocart_return_cart_contents", function(contents)
  local lines = cocart.json.array()
  for _, line in cocart.ordered_pairs(contents) do
    lines[#lines + 1] = line
  end
  return lines
end, 0)
