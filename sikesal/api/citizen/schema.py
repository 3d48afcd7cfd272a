"""OpenAPI links between the citizen's operations: what an answer's fields open next (a
filed complaint → its page and its actions, a staged photo → its file, a list → its first
item). Clients may follow them; Schemathesis's stateful phase does (.ci/api-fuzz).

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).
"""

TRACKING = {"tracking": "$response.body#/tracking_number"}
FIRST_TRACKING = {"tracking": "$response.body#/results/0/tracking_number"}
PHOTO = {"id": "$response.body#/id"}

COMPLAINT_LINKS = {
    "complaint": ("citizen_complaint", TRACKING),
    "clarification": ("citizen_complaint_clarification", TRACKING),
    "rating": ("citizen_complaint_rating", TRACKING),
    "objection": ("citizen_complaint_objection", TRACKING),
}

# (operationId, status) → {link name: (the operation it opens, its parameters)}
LINKS = {
    ("citizen_complaint_file", "201"): COMPLAINT_LINKS,
    ("citizen_complaint_file", "200"): COMPLAINT_LINKS,
    ("citizen_complaint", "200"): {
        name: link for name, link in COMPLAINT_LINKS.items() if name != "complaint"
    },
    ("citizen_complaints", "200"): {"complaint": ("citizen_complaint", FIRST_TRACKING)},
    ("citizen_photo_stage", "201"): {
        "photo": ("citizen_photo", PHOTO),
        "thumbnail": ("citizen_photo_thumbnail", PHOTO),
    },
    ("citizen_notifications", "200"): {
        "read": ("citizen_notification_read", {"id": "$response.body#/results/0/id"})
    },
}


def add_citizen_links(result: dict, generator, request, public) -> dict:
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                links = LINKS.get((operation.get("operationId"), str(status)))
                if not links or "$ref" in response:
                    continue
                response.setdefault("links", {}).update(
                    {
                        name: {"operationId": target, "parameters": dict(parameters)}
                        for name, (target, parameters) in links.items()
                    }
                )
    return result
