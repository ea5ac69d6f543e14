#pragma once
// Training: courses, classes, sign-up and cancellation, check-in, attendance, certificates.

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response list_courses(RequestContext& ctx);
Response create_course(RequestContext& ctx);
Response get_course(RequestContext& ctx);
Response update_course(RequestContext& ctx);
Response create_class(RequestContext& ctx);
Response list_classes(RequestContext& ctx);
Response get_class(RequestContext& ctx);
Response update_class(RequestContext& ctx);
Response enroll(RequestContext& ctx);
Response class_enrollments(RequestContext& ctx);
Response my_enrollments(RequestContext& ctx);
Response get_enrollment(RequestContext& ctx);
Response cancel_enrollment(RequestContext& ctx);
Response enrollment_pass(RequestContext& ctx);
Response check_in_enrollment(RequestContext& ctx);
Response check_in_by_token(RequestContext& ctx);
Response undo_check_in(RequestContext& ctx);
Response public_pass(RequestContext& ctx);
Response enrollment_by_token(RequestContext& ctx);
Response class_attendance(RequestContext& ctx);
Response issue_certificates(RequestContext& ctx);
Response training_certificate(RequestContext& ctx);
Response verify_training_certificate(RequestContext& ctx);

}  // namespace xiehui::web::handlers
