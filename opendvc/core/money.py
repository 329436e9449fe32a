"""Money as Vietnamese readers write it: dots between thousands, then the unit."""


def vnd(amount: int, unit: str = "đ") -> str:
    """50000 → '50.000 đ'. `unit` is "đ" on pages and receipts, "đồng" in sentences, "₫"
    where the payment gateway's own page shows it."""
    return f"{int(amount):,}".replace(",", ".") + f" {unit}"
