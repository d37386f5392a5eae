# Privacy policy pages
privacy-title = Политика конфиденциальности
privacy-version = Редакция
privacy-published = опубликована
privacy-all-versions = все редакции
privacy-superseded = Это прежняя редакция политики, она больше не действует.
privacy-read-current = Читать действующую редакцию
privacy-contents = Содержание
privacy-back-to-contents = К содержанию
privacy-versions-title = Редакции политики конфиденциальности
privacy-versions-count = { $count ->
    [one] Опубликована { $count } редакция.
    [few] Опубликованы { $count } редакции.
    [many] Опубликовано { $count } редакций.
   *[other] Опубликовано { $count } редакции.
}
privacy-current = действует
