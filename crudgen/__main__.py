from crudgen.cli import main

main()
