#pragma once
// A small JSON Schema validator for the subset the OpenAPI document uses (type, nullable, enum,
// properties, required, additionalProperties, items, $ref, minimum/maximum, maxLength,
// maxItems, allOf/oneOf/anyOf), so the HTTP tests can check every answer against its schema.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace xiehui::testing {

/// The problems of `value` against `schema`, each "JSON pointer: problem"; empty when it
/// conforms. `$ref`s ("#/components/schemas/X") resolve against `document`.
std::vector<std::string> schema_problems(const boost::json::value& value,
                                         const boost::json::value& schema,
                                         const boost::json::object& document);

}  // namespace xiehui::testing
