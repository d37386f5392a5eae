# Moderation: content rules (policy §4), reports, the moderators' queue, restrictions
nav-moderation = Модерация

rules-title = Жариялау ережелері
rules-intro = Мыналарды жариялауға тыйым салынады (Құпиялылық саясатының 4-бөлімі):
rules-1 = үшінші тұлғалардың келісімінсіз олардың дербес деректері — ЖСН, телефон нөмірлері, мекенжайлар, құжат нөмірлері;
rules-2 = жалған ақпарат;
rules-3 = зорлық-зомбылыққа үгіт;
rules-4 = қорқыту;
rules-5 = кемсіту;
rules-6 = порнографиялық сипаттағы контент;
rules-7 = оқу процесіне қатысы жоқ кез келген мазмұн.
rules-operator = Оператор мұндай контентті ескертусіз жасыруға немесе жоюға және жариялау мүмкіндігін шектеуге құқылы.
rules-policy-link = Құпиялылық саясаты, 4-бөлім

restricted-title = Жариялау шектелген
restricted-until = Оператор сізге жариялау мүмкіндігін { $date } күнін қоса алғанда шектеді.
restricted-indefinitely = Оператор сізге жариялау мүмкіндігін мерзімсіз шектеді.
restricted-reason = Себебі
restricted-what = Шектеу әрекет етіп тұрғанда пікір жазуға, өзгертуге және шағым жіберуге болмайды.
restricted-tickets = Өтініштер қолжетімді: автомектепке немесе операторға жаза аласыз, соның ішінде дербес деректеріңіз туралы мәлімет сұрауға немесе шектеуге шағымдануға болады.
restricted-tickets-link = Өтініш жазу

report-title = Шағымдану
report-back = ← Артқа
report-item = Неге шағымданасыз
report-reason = Шағымның себебі
report-reason-choose = Себебін таңдаңыз
report-reason-personal-data = Келісімсіз жарияланған дербес деректер
report-reason-false-information = Жалған ақпарат
report-reason-violence = Зорлық-зомбылыққа үгіт
report-reason-threats = Қорқыту
report-reason-discrimination = Кемсіту
report-reason-pornography = Порнография
report-reason-unrelated = Оқуға қатысы жоқ
report-reason-other = Басқа
report-note = Түсініктеме (міндетті емес)
report-note-hint = 1000 таңбаға дейін. Модератор оны шағыммен бірге көреді.
report-send = Шағым жіберу
report-error-reason = Шағымның себебін таңдаңыз.
report-error-note = Түсініктеме 1000 таңбадан ұзын.
report-error-too-many = Соңғы бір сағатта тым көп шағым жібердіңіз. Кейінірек қайталаңыз.
report-thanks = Рақмет, шағым жіберілді. Модератор оны қарайды.
report-already = Сіз бұған шағымданып қойғансыз, модератор шағымды қарайды.

moderation-title = Модерация
moderation-lead = Шағым түскен пікірлер мен хабарламалар және дербес деректерге ұқсас мәліметтер үшін ұсталған пікірлер. Әр шешімге себеп қажет, ол журналға жазылады.
moderation-views = Модерация тізімдері
moderation-view-queue = Кезек
moderation-view-hidden = Жасырылғандар
moderation-total = Тізімде { $count } жазба бар.
moderation-none = Кезек бос.
moderation-none-hidden = Жасырылған пікірлер мен хабарламалар жоқ.
moderation-author = Авторы
moderation-author-gone = аккаунт жойылған
moderation-kind-review = Пікір
moderation-kind-message = Өтініштегі хабарлама
moderation-status-published = жарияланған
moderation-status-held = ұсталған
moderation-status-hidden = жасырылған
moderation-status-deleted = жойылған
moderation-status-visible = қатысушыларға көрінеді
moderation-pd-iin = Мәтінде ЖСН бар сияқты.
moderation-pd-phone = Мәтінде телефон нөмірі бар сияқты.
moderation-pd-email = Мәтінде электрондық пошта мекенжайы бар сияқты.
moderation-pd-id-card = Мәтінде жеке куәлік нөмірі бар сияқты.
moderation-pd-passport = Мәтінде паспорт нөмірі бар сияқты.
moderation-pd-number = Мәтінде телефон, құжат, карта немесе шот нөмірі бар сияқты.
moderation-reports-count = { $count } шағым
moderation-reason = Шешімнің себебі
moderation-reason-hint = Міндетті. Пікір не хабарлама жасырылса немесе жойылса, автор оны хатпен алады.
moderation-action-hide = Жасыру
moderation-action-delete = Мәтінді жою
moderation-action-restore = Қалпына келтіру
moderation-action-publish = Жариялау
moderation-action-keep = Өзгеріссіз қалдыру
moderation-restrict-author = Автордың жариялауын шектеу
moderation-until = Қай күнге дейін (қоса алғанда)
moderation-until-hint = Мерзімсіз шектеу үшін бос қалдырыңыз.
moderation-restrict = Шектеу
moderation-restrictions = Әрекеттегі шектеулер
moderation-restrictions-none = Шектеулер жоқ.
moderation-lift = Шектеуді алу
moderation-indefinitely = мерзімсіз
moderation-error-reason = Шешімнің себебін көрсетіңіз.
moderation-error-reason-long = Себеп 500 таңбадан ұзын.
moderation-error-until-past = Шектеудің аяқталу күні өтіп кеткен.
moderation-error-until-far = Аяқталу күні бар шектеу үш жылдан аспайды; мерзімсіз шектеу үшін күнді бос қалдырыңыз.
moderation-error-staff = Әкімшілер мен модераторлар шектелмейді: әкімшіге жүгініңіз.
moderation-already = Бұл орындалған немесе енді қолданылмайды.
moderation-done = Шешім сақталды.
moderation-restricted = Шектеу қойылды.
moderation-lifted = Шектеу алынды.
moderation-removed = Модератор жойды: { $reason }

mail-moderated-subject = { $what ->
    [review-hidden] Пікіріңізді модератор жасырды
    [review-deleted] Пікіріңізді модератор жойды
    [message-hidden] Хабарламаңызды модератор жасырды
   *[message-deleted] Хабарламаңызды модератор жойды
}
mail-moderated-body = { $what ->
    [review-hidden] Avtomektep порталының модераторы пікіріңізді жасырды: енді оны тек сіз көресіз.
    [review-deleted] Avtomektep порталының модераторы пікіріңіздің мәтінін жойды.
    [message-hidden] Avtomektep порталының модераторы өтініштегі хабарламаңызды жасырды.
   *[message-deleted] Avtomektep порталының модераторы өтініштегі хабарламаңыздың мәтінін жойды.
} Себебі: { $reason }

    Жариялау ережелері Құпиялылық саясатының 4-бөлімінде. Шешіммен келіспесеңіз, операторға «Өтініштер» бөлімі арқылы жазыңыз.
mail-moderated-action = Бетті ашу
