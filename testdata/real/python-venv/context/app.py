import click
from tabulate import tabulate


@click.command()
@click.argument("names", nargs=-1)
def main(names):
    rows = [(n, len(n), n[::-1]) for n in (names or ("ada", "grace", "linus"))]
    click.echo(tabulate(rows, headers=["name", "len", "reversed"]))


if __name__ == "__main__":
    main()
