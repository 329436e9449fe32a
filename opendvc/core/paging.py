"""Paging helpers shared by the list pages."""


def page_links(page: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and a window around the current; None is a gap."""
    shown = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links
