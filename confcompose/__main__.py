"""``python -m confcompose``: the ``confcompose`` command."""

from confcompose.app.cli import main

if __name__ == "__main__":
    main()
