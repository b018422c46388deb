from wagtail import hooks

from sokuho.newsroom.audit import register_actions


@hooks.register("register_log_actions")
def newsroom_log_actions(actions):
    register_actions(actions)
