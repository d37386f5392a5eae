# Accounts: registration, sign-in, profile, sessions, guardians, password reset
nav-account = Аккаунт
nav-login = Войти
nav-logout = Выйти
nav-register = Регистрация
nav-school = Автошкола

form-error-summary = Исправьте ошибки ниже
field-optional = Необязательно
field-full-name = ФИО
field-last-name = Фамилия
field-first-name = Имя
field-middle-name = Отчество
field-iin = ИИН
field-iin-hint = 12 цифр, как в удостоверении личности
field-birth-date = Дата рождения
field-doc-type = Документ, удостоверяющий личность
doc-id-card = Удостоверение личности
doc-passport = Паспорт
field-doc-number = Номер документа
field-doc-number-hint = Удостоверение: 9 цифр. Паспорт: N и 7–8 цифр
field-doc-issued-on = Дата выдачи
field-doc-issuer = Кем выдан
field-doc-issuer-hint = Например: МВД РК
field-phone = Мобильный телефон
field-phone-hint = Казахстанский номер, например +7 701 123 45 67
field-email = Электронная почта
field-email-hint = На неё придёт ссылка для подтверждения
field-address = Адрес проживания
field-address-hint = Город, улица, дом, квартира
field-password = Пароль
field-password-hint = Не короче 10 символов. Фразу из нескольких слов легко запомнить
field-password-confirm = Повторите пароль

text-error-empty = Заполните это поле.
text-error-long = Слишком длинный текст.
date-error-invalid = Введите дату в виде ДД.ММ.ГГГГ.
birth-date-error-unreal = Проверьте дату рождения.
# «с 1 года, с 21 года» but «с 2 лет, с 16 лет»: genitive singular for one, genitive plural otherwise.
birth-date-error-too-young = Регистрация возможна с { $min_age } { $min_age ->
        [one] года
       *[other] лет
    }.
password-error-mismatch = Пароли не совпадают.
consent-error-required = Для регистрации нужно согласие на обработку персональных данных.
guardian-error-same-iin = ИИН законного представителя должен отличаться от вашего.

register-title = Регистрация
register-lead = Аккаунт учащегося. Данные шифруются и хранятся только в Казахстане, согласно Политике конфиденциальности.
register-person = Личные данные
register-document = Документ, удостоверяющий личность
register-contacts = Контакты
register-password = Пароль
register-guardian = Родитель или законный представитель
register-guardian-hint = Обязательно, если вам нет 18 лет. Законный представитель подтвердит согласие по электронной почте.
register-guardian-email-hint = На неё придёт запрос согласия
register-consent = Согласие
register-policy-link = Прочитать Политику конфиденциальности полностью
consent-personal-data = Я ознакомлен(а) с Политикой конфиденциальности и согласен(на) на обработку моих персональных данных (обязательно).
consent-photo-id = Я согласен(на) на обработку моих фотографий и фотографий документов для идентификации.
consent-photo-id-hint = Необязательно. Без согласия нельзя подтвердить зачисление в учебную группу. Согласие можно дать или отозвать позже.
register-submit = Зарегистрироваться
register-have-account = Уже есть аккаунт?
registration-iin-hint-differs = Обратите внимание: первые цифры ИИН указывают на другую дату рождения. Проверьте данные.

login-title = Вход
login-login = Электронная почта или ИИН
login-login-hint = Почта, указанная при регистрации, или ИИН из 12 цифр
login-submit = Войти
login-forgot = Забыли пароль?
login-no-account = Нет аккаунта?
login-error-wrong = Неверный логин или пароль.
login-error-blocked = Аккаунт заблокирован. Обратитесь в службу поддержки.
login-error-throttled = Слишком много неудачных попыток. Попробуйте снова после { $time }.

me-title = Мой профиль
me-unverified = Электронная почта не подтверждена.
me-unverified-text = Пока почта не подтверждена, записаться в учебную группу нельзя. Откройте ссылку из письма.
me-resend = Отправить письмо ещё раз
me-awaiting-guardian-text = Пока законный представитель не подтвердит согласие, нельзя записаться в группу и загружать фотографии.
me-data = Данные о вас
me-data-hint = Эти данные хранятся в зашифрованном виде. Их видите вы и сотрудники, которым это разрешено законом.
me-consents = Ваши согласия
me-no-consents = Согласий нет.
me-history = История входов
me-history-empty = Других входов пока не было.
me-history-ok = успешно
me-history-failed = неудачно
consent-kind-personal-data = Обработка персональных данных
consent-kind-photo-id = Идентификация по фотографиям
consent-kind-guardian = Согласие законного представителя
role-student = Учащийся
role-instructor = Инструктор
role-school-staff = Сотрудник автошколы
role-moderator = Модератор
role-admin = Администратор
status-email-verified = Почта подтверждена
status-email-unverified = Почта не подтверждена
status-awaiting-guardian = Ожидается согласие законного представителя

sessions-title = Устройства, где выполнен вход
sessions-lead = Устройства, на которых сейчас открыт ваш аккаунт. Если видите незнакомое — завершите его сеанс и смените пароль.
sessions-this-device = это устройство
sessions-ip = IP
sessions-signed-in = вход
sessions-last-seen = последняя активность
sessions-end-this = Выйти на этом устройстве
sessions-end-others = Выйти на всех других устройствах
sessions-ended-one = Сеанс на устройстве завершён.
sessions-ended-others = Сеансы на всех других устройствах завершены.

verify-title = Подтверждение электронной почты
verify-text = Нажмите кнопку, чтобы подтвердить вашу почту.
verify-button = Подтвердить почту
verify-done = Электронная почта подтверждена.
verify-done-sign-in = Электронная почта подтверждена. Теперь можно войти на портал.
verify-sent-again = Письмо для подтверждения отправлено ещё раз.
link-expired-title = Ссылка недействительна
link-expired-text = Ссылка уже использована или срок её действия истёк. Запросите новую.

guardian-title = Согласие законного представителя
guardian-student = Учащийся
guardian-consent-text = Я, как родитель или законный представитель, даю согласие на регистрацию этого несовершеннолетнего учащегося в системе Avtomektep.kz и на обработку его персональных данных в целях подготовки водителей в соответствии с Политикой конфиденциальности.
guardian-button = Даю согласие
guardian-done-title = Спасибо
guardian-done-text = Ваше согласие записано. Учащийся может полностью пользоваться порталом.

forgot-title = Восстановление пароля
forgot-lead = Введите почту, указанную при регистрации: мы отправим ссылку для нового пароля.
forgot-submit = Отправить ссылку
forgot-sent-title = Проверьте почту
forgot-sent-text = Если эта почта зарегистрирована, мы отправили на неё ссылку, действующую один час.
password-change-title = Сменить пароль
password-change-lead = После смены пароля сеансы на всех других устройствах завершатся.
password-current = Текущий пароль
password-error-current = Текущий пароль неверен.
password-changed = Пароль изменён. Сеансы на других устройствах завершены.
reset-title = Новый пароль
reset-submit = Сохранить пароль
reset-done-title = Пароль изменён
reset-done-text = Сеансы на всех устройствах завершены. Войдите с новым паролем.

mail-greeting = Здравствуйте, { $name }!
mail-greeting-anon = Здравствуйте!
mail-footer = Это письмо отправлено порталом Avtomektep. Если вы ничего не запрашивали, просто проигнорируйте его.
mail-verify-subject = Подтвердите электронную почту
mail-verify-body = Спасибо за регистрацию на портале Avtomektep.

    Чтобы подтвердить почту, откройте ссылку. Ссылка действует 24 часа.
mail-verify-action = Подтвердить почту
mail-attempt-subject = Попытка регистрации с вашей почтой
mail-attempt-body = Кто-то пытался зарегистрироваться на портале Avtomektep с вашей электронной почтой или вашими данными. Аккаунт у вас уже есть, поэтому новый не создан.

    Если это были вы, войдите или восстановите пароль. Если нет — ничего делать не нужно.
mail-attempt-action = Восстановить пароль
mail-guardian-subject = Согласие на регистрацию несовершеннолетнего
mail-guardian-body = { $student } зарегистрировался(ась) на портале Avtomektep и указал(а) вас как родителя или законного представителя.

    Учащийся младше 18 лет может обучаться только с согласия законного представителя. Откройте ссылку, прочитайте, на что вы даёте согласие, и подтвердите. Ссылка действует 7 дней.
mail-guardian-action = Посмотреть согласие
mail-reset-subject = Восстановление пароля
mail-reset-body = Запрошено восстановление пароля. Чтобы задать новый пароль, откройте ссылку. Ссылка действует один час.

    Если вы не запрашивали, проигнорируйте письмо: пароль не изменится.
mail-reset-action = Задать новый пароль
mail-locked-subject = Вход в аккаунт временно приостановлен
mail-locked-body = Было несколько попыток войти в ваш аккаунт с неверным паролем, поэтому вход приостановлен на 15 минут.

    Если это были не вы, смените пароль.
mail-locked-action = Сменить пароль
mail-invite-subject = Приглашение в автошколу
mail-invite-body = Вас пригласили стать сотрудником автошколы «{ $school }» на портале Avtomektep.

    Чтобы принять приглашение, откройте ссылку. Ссылка действует 7 дней.
mail-invite-action = Принять приглашение
