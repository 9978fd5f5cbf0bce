from crudgen.cli import console

# Guarded: worker processes that format in parallel may import this module again (spawn).
if __name__ == "__main__":
    console()
