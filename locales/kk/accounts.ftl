# Accounts: registration, sign-in, profile, sessions, guardians, password reset
nav-account = Аккаунт
nav-login = Кіру
nav-logout = Шығу
nav-register = Тіркелу
nav-school = Автомектеп

form-error-summary = Төмендегі қателерді түзетіңіз
field-optional = Міндетті емес
field-full-name = Аты-жөні
field-last-name = Тегі
field-first-name = Аты
field-middle-name = Әкесінің аты
field-iin = ЖСН
field-iin-hint = 12 цифр, жеке куәліктегідей
field-birth-date = Туған күні
field-doc-type = Жеке басын куәландыратын құжат
doc-id-card = Жеке куәлік
doc-passport = Төлқұжат
field-doc-number = Құжат нөмірі
field-doc-number-hint = Жеке куәлік: 9 цифр. Төлқұжат: N және 7–8 цифр
field-doc-issued-on = Берілген күні
field-doc-issuer = Кім берді
field-doc-issuer-hint = Мысалы: ҚР ІІМ
field-phone = Ұялы телефон
field-phone-hint = Қазақстандық нөмір, мысалы +7 701 123 45 67
field-email = Электрондық пошта
field-email-hint = Оған растау сілтемесін жібереміз
field-address = Тұратын мекенжайы
field-address-hint = Қала, көше, үй, пәтер
field-password = Құпиясөз
field-password-hint = Кемінде 10 таңба. Бірнеше сөзден тұратын сөйлем есте жақсы қалады
field-password-confirm = Құпиясөзді қайталаңыз

text-error-empty = Бұл жолды толтырыңыз.
text-error-long = Тым ұзын мәтін.
date-error-invalid = Күнді КК.АА.ЖЖЖЖ түрінде енгізіңіз.
birth-date-error-unreal = Туған күнді тексеріңіз.
birth-date-error-too-young = Тіркелу { $min_age } жастан бастап мүмкін.
password-error-mismatch = Құпиясөздер сәйкес келмейді.
consent-error-required = Тіркелу үшін дербес деректерді өңдеуге келісім қажет.
guardian-error-same-iin = Заңды өкілдің ЖСН-і сіздің ЖСН-іңізден өзгеше болуы керек.

register-title = Тіркелу
register-lead = Оқушы аккаунты. Деректер Құпиялылық саясатына сәйкес шифрланып, тек Қазақстанда сақталады.
register-person = Жеке деректер
register-document = Жеке басын куәландыратын құжат
register-contacts = Байланыс
register-password = Құпиясөз
register-guardian = Ата-ана немесе заңды өкіл
register-guardian-hint = 18 жасқа толмасаңыз, толтыру міндетті. Заңды өкіл электрондық пошта арқылы келісімін растайды.
register-guardian-email-hint = Оған келісім сұрауын жібереміз
register-consent = Келісім
register-policy-link = Құпиялылық саясатын толық оқу
consent-personal-data = Құпиялылық саясатымен таныстым және дербес деректерімді өңдеуге келісемін (міндетті).
consent-photo-id = Сәйкестендіру үшін менің және құжаттарымның фотоларын өңдеуге келісемін.
consent-photo-id-hint = Міндетті емес. Келісімсіз оқу тобына қабылдауды растау мүмкін болмайды. Келісімді кейін беруге немесе қайтарып алуға болады.
register-submit = Тіркелу
register-have-account = Аккаунтыңыз бар ма?
registration-iin-hint-differs = Назар аударыңыз: ЖСН-нің алғашқы цифрлары басқа туған күнді көрсетеді. Деректерді тексеріңіз.

login-title = Кіру
login-login = Электрондық пошта немесе ЖСН
login-login-hint = Тіркелу кезінде көрсеткен пошта немесе 12 цифрлы ЖСН
login-submit = Кіру
login-forgot = Құпиясөзді ұмыттыңыз ба?
login-no-account = Аккаунтыңыз жоқ па?
login-error-wrong = Логин немесе құпиясөз дұрыс емес.
login-error-blocked = Аккаунт бұғатталған. Қолдау қызметіне хабарласыңыз.
login-error-throttled = Сәтсіз әрекеттер тым көп. Сағат { $time } кейін қайталап көріңіз.

me-title = Менің профилім
me-unverified = Электрондық пошта расталмаған.
me-unverified-text = Поштаны растамайынша оқу тобына жазылу мүмкін емес. Хаттағы сілтемені ашыңыз.
me-resend = Хатты қайта жіберу
me-awaiting-guardian-text = Заңды өкіліңіз келісімін растамайынша оқу тобына жазылу және фото жүктеу мүмкін емес.
me-data = Сіз туралы деректер
me-data-hint = Бұл деректер шифрланып сақталады. Оларды тек сіз және заң бойынша рұқсаты бар қызметкерлер көреді.
me-consents = Берілген келісімдер
me-no-consents = Келісімдер жоқ.
me-history = Кіру тарихы
me-history-empty = Әзірге басқа кірулер жоқ.
me-history-ok = сәтті
me-history-failed = сәтсіз
consent-kind-personal-data = Дербес деректерді өңдеу
consent-kind-photo-id = Фото арқылы сәйкестендіру
consent-kind-guardian = Заңды өкілдің келісімі
role-student = Оқушы
role-instructor = Нұсқаушы
role-school-staff = Автомектеп қызметкері
role-moderator = Модератор
role-admin = Әкімші
status-email-verified = Пошта расталған
status-email-unverified = Пошта расталмаған
status-awaiting-guardian = Заңды өкілдің келісімі күтілуде

sessions-title = Кірген құрылғылар
sessions-lead = Аккаунтыңызға қазір кірулі тұрған құрылғылар. Танымайтын құрылғыдан шығыңыз және құпиясөзді өзгертіңіз.
sessions-this-device = осы құрылғы
sessions-ip = IP
sessions-signed-in = кірген уақыты
sessions-last-seen = соңғы белсенділік
sessions-end-this = Осы құрылғыдан шығу
sessions-end-others = Басқа барлық құрылғылардан шығу
sessions-ended-one = Құрылғы аккаунттан шығарылды.
sessions-ended-others = Басқа барлық құрылғылар аккаунттан шығарылды.

verify-title = Электрондық поштаны растау
verify-text = Поштаңызды растау үшін батырманы басыңыз.
verify-button = Поштаны растау
verify-done = Электрондық пошта расталды.
verify-done-sign-in = Электрондық пошта расталды. Енді порталға кіре аласыз.
verify-sent-again = Растау хатын қайта жібердік.
link-expired-title = Сілтеме жарамсыз
link-expired-text = Сілтеме қолданылған немесе оның мерзімі өтіп кеткен. Жаңа сілтеме сұраңыз.

guardian-title = Заңды өкілдің келісімі
guardian-student = Оқушы
guardian-consent-text = Мен, ата-ана немесе заңды өкіл ретінде, осы кәмелетке толмаған оқушының Avtomektep.kz жүйесінде тіркелуіне және оның дербес деректерінің Құпиялылық саясатына сәйкес жүргізушілерді даярлау мақсатында өңделуіне келісемін.
guardian-button = Келісемін
guardian-done-title = Рақмет
guardian-done-text = Келісіміңіз тіркелді. Оқушы порталды толық пайдалана алады.

forgot-title = Құпиясөзді қалпына келтіру
forgot-lead = Тіркелген поштаңызды енгізіңіз: жаңа құпиясөз орнату сілтемесін жібереміз.
forgot-submit = Сілтеме жіберу
forgot-sent-title = Хатты тексеріңіз
forgot-sent-text = Бұл пошта тіркелген болса, оған бір сағат жарамды сілтеме жібердік.
password-change-title = Құпиясөзді өзгерту
password-change-lead = Өзгерткеннен кейін басқа құрылғылардағы барлық кірулер тоқтатылады.
password-current = Қазіргі құпиясөз
password-error-current = Қазіргі құпиясөз дұрыс емес.
password-changed = Құпиясөз өзгертілді. Басқа құрылғылардағы кірулер тоқтатылды.
reset-title = Жаңа құпиясөз
reset-submit = Құпиясөзді сақтау
reset-done-title = Құпиясөз өзгертілді
reset-done-text = Барлық құрылғылардағы кірулер тоқтатылды. Жаңа құпиясөзбен кіріңіз.

mail-greeting = Сәлеметсіз бе, { $name }!
mail-greeting-anon = Сәлеметсіз бе!
mail-footer = Бұл хатты Avtomektep порталы жіберді. Сіз ештеңе сұрамаған болсаңыз, хатты елемеңіз.
mail-verify-subject = Электрондық поштаны растаңыз
mail-verify-body = Avtomektep порталында тіркелгеніңізге рақмет.

    Поштаңызды растау үшін сілтемені ашыңыз. Сілтеме 24 сағат жарамды.
mail-verify-action = Поштаны растау
mail-attempt-subject = Сіздің поштаңызбен тіркелу әрекеті
mail-attempt-body = Біреу Avtomektep порталында сіздің электрондық поштаңызбен немесе деректеріңізбен тіркелмек болды. Аккаунтыңыз бұрыннан бар, сондықтан жаңасы ашылған жоқ.

    Бұл сіз болсаңыз, кіріңіз немесе құпиясөзді қалпына келтіріңіз. Сіз болмасаңыз, ештеңе істеудің қажеті жоқ.
mail-attempt-action = Құпиясөзді қалпына келтіру
mail-guardian-subject = Кәмелетке толмаған оқушыны тіркеуге келісім
mail-guardian-body = { $student } Avtomektep порталында тіркелді және сізді ата-анасы немесе заңды өкілі ретінде көрсетті.

    18 жасқа толмаған оқушы тек заңды өкілінің келісімімен оқи алады. Сілтемені ашып, не нәрсеге келісетініңізді оқыңыз және растаңыз. Сілтеме 7 күн жарамды.
mail-guardian-action = Келісімді қарау
mail-reset-subject = Құпиясөзді қалпына келтіру
mail-reset-body = Құпиясөзді қалпына келтіру сұралды. Жаңа құпиясөз орнату үшін сілтемені ашыңыз. Сілтеме бір сағат жарамды.

    Сіз сұрамаған болсаңыз, хатты елемеңіз: құпиясөзіңіз өзгермейді.
mail-reset-action = Жаңа құпиясөз орнату
mail-locked-subject = Аккаунтқа кіру уақытша тоқтатылды
mail-locked-body = Аккаунтыңызға қате құпиясөзбен бірнеше рет кіруге әрекет жасалды, сондықтан кіру 15 минутқа тоқтатылды.

    Бұл сіз болмасаңыз, құпиясөзді өзгертіңіз.
mail-locked-action = Құпиясөзді өзгерту
mail-invite-subject = Автомектепке шақыру
mail-invite-body = Сізді Avtomektep порталында «{ $school }» автомектебінің қызметкері болуға шақырды.

    Шақыруды қабылдау үшін сілтемені ашыңыз. Сілтеме 7 күн жарамды.
mail-invite-action = Шақыруды қабылдау
