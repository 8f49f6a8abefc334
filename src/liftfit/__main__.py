from liftfit.cli import main

main()
