from regcert_xl.cli import main

main()
