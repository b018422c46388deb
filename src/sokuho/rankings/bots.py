"""Which User-Agents are not readers: bots, crawlers, previewers, scripts.

The main list is crawler-user-agents (the community-maintained pattern list behind
many analytics tools; update the package to pick up new crawlers). A few patterns of
our own add what it misses or what must never count on a news site: AI crawlers and
assistants, performance auditors, headless and automated browsers, HTTP libraries.
"""

from __future__ import annotations

import re
from functools import lru_cache

import crawleruseragents

#: User-Agents longer than this are not browsers (real ones are well under 512).
MAX_USER_AGENT_LENGTH = 1024

_EXTRA = re.compile(
    r"(?<![Cc]u)bot\b|bot/|crawl|spider|scrap|slurp|headless|lighthouse|pagespeed|"
    r"phantomjs|selenium|webdriver|puppeteer|playwright|electron/|preview|fetcher|"
    r"gptbot|chatgpt|oai-searchbot|claude|anthropic|perplexity|bytespider|ccbot|"
    r"cohere|diffbot|meta-external|amazonbot|applebot|google-extended|"
    r"^(?:curl|wget|python|java|go-http|okhttp|axios|node|undici|libwww|httpie|"
    r"ruby|php|perl|dart|aiohttp|httpx|postman|insomnia)",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def is_bot(user_agent: str) -> bool:
    """True for a missing, absurd or known non-human User-Agent (memoised: few distinct)."""
    user_agent = user_agent.strip()
    if not user_agent or len(user_agent) > MAX_USER_AGENT_LENGTH:
        return True
    return bool(_EXTRA.search(user_agent)) or crawleruseragents.is_crawler(user_agent)
