"""Core routes: home, language, auth, static."""

from . import LOGGED_IN, PUBLIC

EXPECTED = {
    "static": PUBLIC,
    "main.index": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": LOGGED_IN,
    "auth.change_password": LOGGED_IN,
}

ARGS = {
    "filename": lambda world: "css/app.css",
    "code": lambda world: world["certificate"].verification_code,
}

EXPECTED.update({
    "auth.users": frozenset({"admin"}),
    "auth.new_user": frozenset({"admin"}),
    "auth.reset_user": frozenset({"admin"}),
    "auth.toggle_user": frozenset({"admin"}),
    "auth.unlock_user": frozenset({"admin"}),
})
ARGS["user_id"] = lambda world: world["instructor"].id
