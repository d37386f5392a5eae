# Tickets: requests to a driving school or to the operator
nav-tickets = Өтініштер
tickets-title = Өтініштер
tickets-new = Жаңа өтініш
tickets-scope-label = Қандай өтініштерді көрсету
tickets-queue = Кезек
tickets-mine = Менің өтініштерім
tickets-filter-all = Барлығы
tickets-filter-me = Маған тағайындалған
tickets-filter-nobody = Ешкімге тағайындалмаған
tickets-filter-apply = Көрсету
tickets-none = Өтініштер жоқ.
tickets-new-title = Жаңа өтініш
tickets-new-lead = Өз автомектебіңізге немесе портал операторына жазыңыз. Өтінішті тек сіз және ол жолданған қызметкерлер көреді. Жауап осында келеді, ал хабарлама поштаңызға жіберіледі.
tickets-send = Өтінішті жіберу
tickets-back = Барлық өтініштер

ticket-to = Кімге
ticket-to-operator = Портал операторына
ticket-to-operator-only = Автомектепке оның тобына өтінім бергеннен кейін жазуға болады. Әзірге портал операторына жаза аласыз.
ticket-category = Өтініш тақырыбы
ticket-subject = Мәні қысқаша
ticket-body = Хабарлама
ticket-body-hint = 5000 таңбаға дейін. Сілтемелер мен белгілеулер қарапайым мәтін ретінде көрсетіледі.
ticket-attachment = Сурет (міндетті емес)
ticket-attachment-hint = JPEG, PNG немесе WebP, { $count } МБ-тан аспауы керек. Метадеректер (түсірілген орны, камера) өшіріледі.
ticket-attachment-alt = Тіркелген сурет
ticket-status = Мәртебесі
ticket-assignee = Жауапты
ticket-author = Авторы
ticket-nobody = тағайындалмаған
ticket-opened = Құрылған күні
ticket-staff-label = қызметкер
ticket-former-user = Жойылған пайдаланушы
ticket-former-staff = бұрынғы қызметкер
ticket-message-hidden = модератор жасырған
ticket-message-removed = Хабарламаны модератор жойды.
ticket-removed-reason = Себебі
ticket-report = Шағымдану
ticket-reply-title = Жауап беру
ticket-reply-body = Сіздің жауабыңыз
ticket-reply-reopens = Өтініш жабылған. Жауап жазсаңыз, ол қайта ашылады.
ticket-reply-status = Жауаптан кейінгі мәртебесі
ticket-reply-send = Жауапты жіберу
ticket-reopen = Қайта ашу
ticket-close = Өтінішті жабу
ticket-reopen-expired = Өтініш 14 күннен бұрын жабылған, оны қайта ашуға болмайды. Жаңа өтініш жазыңыз.
ticket-manage = Өтінішпен жұмыс
ticket-status-save = Мәртебесін өзгерту
ticket-assign = Тағайындау

ticket-status-new = жаңа
ticket-status-in-progress = жұмыста
ticket-status-waiting-for-user = пайдаланушының жауабын күтуде
ticket-status-resolved = шешілді
ticket-status-closed = жабылды

ticket-category-technical = Техникалық қолдау
ticket-category-training = Оқу туралы сұрақ
ticket-category-complaint = Шағым
ticket-category-personal-data = Дербес деректер туралы сұрау
ticket-category-other = Басқа

ticket-error-to = Тізімнен автомектепті немесе портал операторын таңдаңыз.
ticket-error-category = Өтініш тақырыбын таңдаңыз.
ticket-error-subject = Өтініштің мәнін қысқаша жазыңыз.
ticket-error-subject-long = 200 таңбаға дейін қысқартыңыз.
ticket-error-body = Хабарлама жазыңыз.
ticket-error-body-long = Хабарлама 5000 таңбадан ұзын. Оны қысқартыңыз.
ticket-error-attachment-size = Сурет 15 МБ-тан үлкен. Кішірек файл таңдаңыз.
ticket-error-form = Пішін толық келмеді. Бетті жаңартып, қайта жіберіңіз.
ticket-error-rate = Соңғы 10 минутта тым көп хабарлама жібердіңіз. Біраз күтіп, қайта жіберіңіз.

ticket-created = Өтініш жіберілді.
ticket-replied = Жауап жіберілді.
ticket-status-changed = Мәртебесі өзгертілді.
ticket-status-unchanged = Мәртебесі өзгерген жоқ.
ticket-assigned = Жауапты тағайындалды.
ticket-assign-refused = Тек осы өтініштермен жұмыс істейтін қызметкерді тағайындауға болады.

mail-ticket-new-subject = Жаңа өтініш: { $subject }
mail-ticket-new-body = «{ $subject }» деген жаңа өтініш келді:

    { $excerpt }

    Хаттағы жеке деректер жұлдызшалармен жасырылған. Хабарламаны толық оқу үшін порталды ашыңыз.
mail-ticket-new-action = Өтінішті ашу
mail-ticket-reply-subject = Өтініште жаңа жауап: { $subject }
mail-ticket-reply-body = «{ $subject }» өтінішінде жаңа хабарлама бар:

    { $excerpt }

    Хаттағы жеке деректер жұлдызшалармен жасырылған. Хабарламаны толық оқу үшін порталды ашыңыз.
mail-ticket-reply-action = Өтінішті ашу
