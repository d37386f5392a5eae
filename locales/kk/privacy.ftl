# Privacy policy pages
privacy-title = Құпиялылық саясаты
privacy-version = Нұсқа
privacy-published = жарияланған күні
privacy-all-versions = барлық нұсқалар
privacy-superseded = Бұл — саясаттың бұрынғы нұсқасы, ол енді қолданылмайды.
privacy-read-current = Қолданыстағы нұсқаны оқу
privacy-contents = Мазмұны
privacy-back-to-contents = Мазмұнға оралу
privacy-versions-title = Құпиялылық саясатының нұсқалары
# Kazakh nouns do not change after a numeral, but CLDR still has two categories.
privacy-versions-count = { $count ->
    [one] { $count } нұсқа жарияланған.
   *[other] { $count } нұсқа жарияланған.
}
privacy-current = қолданыста
