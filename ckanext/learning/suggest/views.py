"""``/learning/suggest``: the action's answer without the action API's
envelope (the search box's combobox asks here)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify

blueprint = Blueprint("learning_suggest", __name__)


@blueprint.route("/learning/suggest")
def suggest():
    args = tk.request.args
    data_dict = {k: args[k] for k in ("q", "limit", "lang") if k in args}
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        result = tk.get_action("learning_suggest")(context, data_dict)
    except tk.ValidationError as e:
        return jsonify({"success": False, "error": e.error_dict}), 409
    response = jsonify({"success": True, "result": result})
    response.headers["Cache-Control"] = "private, max-age=30"
    return response
