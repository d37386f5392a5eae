# A school's application to be listed, its review by an administrator, and the school's branches
application-title = Автомектепті тіркеу өтінімі
application-lead = Автомектеп туралы деректерді толтырыңыз. Әкімші БСН мен лицензияны тексергеннен кейін автомектеп тізімге шығады, ал сіз оның менеджері боласыз. Шешім туралы электрондық поштаға хат жібереміз.
application-bin-hint = Заңды тұлғаның БСН-і, 12 цифр
application-address = Мекенжайы
application-address-hint = Көше, үй, кеңсе
application-licence-hint = Лицензияда жазылғандай
application-phone = Байланыс телефоны
application-send = Өтінімді жіберу
application-sent = Өтінім жіберілді. Әкімші оны қарап, шешімді электрондық поштаңызға жібереді.
application-refused-role = Әкімшілер мен модераторлар автомектепті өз атынан тіркей алмайды.
application-refused-verify = Өтінім беру үшін алдымен электрондық поштаңызды растаңыз.
application-refused-staff = Сіз автомектепте жұмыс істейсіз, сондықтан жаңа автомектепті тіркей алмайсыз.
application-refused-pending = Сіздің өтініміңіз қаралып жатыр. Шешім туралы электрондық поштаға хат келеді.
applications-title = Автомектептердің өтінімдері
applications-none = Қаралмаған өтінім жоқ.
applications-link = Автомектептердің өтінімдері
application-applicant = Өтінім берген
application-filed = Берілген күні
application-approve = Мақұлдау
application-reject = Қабылдамау
application-reason = Бас тарту себебі
application-applicant-gone = Аккаунт жойылған
application-applicant-gone-approve = Өтінім берушінің аккаунты жойылған: өтінімді мақұлдау мүмкін емес, оны қабылдамаңыз.
application-applicant-role = Өтінім берушінің рөлі автомектеп менеджері болуға сәйкес емес.
application-applicant-elsewhere = Өтінім беруші басқа автомектепте жұмыс істейді, сондықтан мақұлдау мүмкін емес.
application-not-pending = Бұл өтінім бұрын қаралған.
application-reason-required = Бас тарту себебін жазыңыз.
application-school-approved = Автомектеп мақұлданды, өтінім беруші оның менеджері болды.
application-school-rejected = Өтінім қабылданбады, өтінім берушіге хат жіберілді.
mail-school-approved-subject = Автомектеп тіркелді
mail-school-approved-body = «{ $school }» автомектебін тіркеу өтінімі мақұлданды. Автомектеп енді Avtomektep порталындағы тізімде, ал сіз оның менеджерісіз.

    Оқу топтарын құру және қызметкерлерді шақыру үшін автомектеп бетін ашыңыз.
mail-school-approved-action = Автомектеп бетін ашу
mail-school-rejected-subject = Автомектепті тіркеу өтінімі қабылданбады
mail-school-rejected-body = «{ $school }» автомектебін тіркеу өтінімі қабылданбады.

    Себебі: { $reason }

    Деректерді түзетіп, жаңа өтінім жіберуге болады.
mail-school-rejected-action = Жаңа өтінім жіберу
branches-title = Филиалдар
branches-none = Филиалдар әлі қосылмаған.
branches-manage = Филиалдар
branch-add-title = Филиал қосу
branch-city = Қала немесе елді мекен
branch-address = Мекенжайы
branch-address-hint = Көше, үй
branch-add = Филиалды қосу
branch-remove = Жою
branch-added = Филиал қосылды.
branch-removed = Филиал жойылды.
branch-error-required = Бұл жолды толтырыңыз.
branch-error-long = Тым ұзын: 200 таңбадан аспауы керек.
