"""Path converters: ids in URLs are database ids, so a number no database integer can
hold (past 63 bits) is no such page, a 404, instead of an overflow error."""


class DatabaseIdConverter:
    regex = "[0-9]{1,18}"  # 10**18 - 1 is below 2**63 - 1, the largest bigint

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
