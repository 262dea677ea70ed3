"""Arithmetic shared by the figures the application shows: shares that add up to 100 %."""

from decimal import ROUND_DOWN, Decimal


def shares(amounts, places=1):
    """Each amount's share of their total, in percent with `places` decimals, adding up to exactly 100.

    Largest remainders: each share is first rounded down, then the missing hundredths go to the largest
    remainders (ties to the earliest), so that a table never shows 99.9 % or 100.1 %. An empty or zero total
    gives zeros. `amounts` is a list of numbers (int or Decimal); the result is a list of Decimals in order.
    """
    amounts = [Decimal(amount) for amount in amounts]
    total = sum(amounts, Decimal(0))
    step = Decimal(1).scaleb(-places)
    if total <= 0:
        return [Decimal(0).quantize(step) for _ in amounts]
    exact = [amount * 100 / total for amount in amounts]
    floors = [value.quantize(step, rounding=ROUND_DOWN) for value in exact]
    missing = int((Decimal(100) - sum(floors)) / step)
    order = sorted(range(len(amounts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += step
    return floors
