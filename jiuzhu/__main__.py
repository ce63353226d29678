from jiuzhu.launch import main

main()
