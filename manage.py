#!/usr/bin/env python
from opendvc.cli import main

if __name__ == "__main__":
    main()
