#pragma once
// JSON shapes of training (API.md "Training").

#include <boost/json/object.hpp>

#include "services/training/training.hpp"
#include "services/training/training_service.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::dto {

boost::json::object course_json(const training::Course& c);
/// A class with its counts: confirmed, waitlisted, seats_left.
boost::json::object class_json(const training::TrainingClass& c);
boost::json::object enrollment_json(const training::Enrollment& e);
/// The public pass: class, course, dates, venue, the attendee's name and the place's status;
/// nothing else of the person or the unit (the page is open to anyone holding the link).
boost::json::object pass_json(const training::TrainingPass& p);

/// Reads a class's fields for create (`required`) or patch; instants take ISO 8601 with an
/// offset, or a date (start of day for starts_at, end of day for ends_at and the deadline).
training::ClassPatch read_class_patch(JsonBody& body, bool required);

/// {"member_id"|null,"org_name"?,"attendee":{"name","title","mobile","email","lodging"}};
/// type errors are collected in `body` ("attendee.mobile").
training::SignUp read_signup(JsonBody& body);

/// A new class of `course_id` from a patch read with `required` (defaults: status draft,
/// attendance rule 80 %).
training::TrainingClass new_class(long long course_id, const training::ClassPatch& p);

/// An instant from ISO 8601 with an offset, or YYYY-MM-DD in Asia/Shanghai (00:00:00, or
/// 23:59:59 when `end_of_day`).
std::optional<Timestamp> parse_when(std::string_view text, bool end_of_day);

}  // namespace xiehui::web::dto
