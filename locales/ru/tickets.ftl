# Tickets: requests to a driving school or to the operator
nav-tickets = Обращения
tickets-title = Обращения
tickets-new = Новое обращение
tickets-scope-label = Какие обращения показать
tickets-queue = Очередь
tickets-mine = Мои обращения
tickets-filter-all = Все
tickets-filter-me = Назначены мне
tickets-filter-nobody = Никому не назначены
tickets-filter-apply = Показать
tickets-none = Обращений нет.
tickets-new-title = Новое обращение
tickets-new-lead = Напишите в свою автошколу или оператору портала. Обращение видите только вы и сотрудники, которым оно адресовано. Ответ придёт сюда, а уведомление — на вашу почту.
tickets-send = Отправить обращение
tickets-back = Все обращения

ticket-to = Кому
ticket-to-operator = Оператору портала
ticket-to-operator-only = Написать в автошколу можно после того, как вы подали заявку в её группу. Пока вы можете написать оператору портала.
ticket-category = Тема обращения
ticket-subject = Кратко о сути
ticket-body = Сообщение
ticket-body-hint = До 5000 знаков. Ссылки и разметка показываются как обычный текст.
ticket-attachment = Изображение (необязательно)
ticket-attachment-hint = JPEG, PNG или WebP, не больше { $count } МБ. Метаданные (место съёмки, камера) удаляются.
ticket-attachment-alt = Приложенное изображение
ticket-status = Статус
ticket-assignee = Ответственный
ticket-author = Автор
ticket-nobody = не назначен
ticket-opened = Создано
ticket-staff-label = сотрудник
ticket-former-user = Удалённый пользователь
ticket-former-staff = бывший сотрудник
ticket-message-hidden = скрыто модератором
ticket-message-removed = Сообщение удалено модератором.
ticket-removed-reason = Причина
ticket-report = Пожаловаться
ticket-reply-title = Ответить
ticket-reply-body = Ваш ответ
ticket-reply-reopens = Обращение закрыто. Если ответите, оно откроется снова.
ticket-reply-status = Статус после ответа
ticket-reply-send = Отправить ответ
ticket-reopen = Открыть снова
ticket-close = Закрыть обращение
ticket-reopen-expired = Обращение закрыто больше 14 дней назад, и открыть его снова нельзя. Создайте новое обращение.
ticket-manage = Работа с обращением
ticket-status-save = Сменить статус
ticket-assign = Назначить

ticket-status-new = новое
ticket-status-in-progress = в работе
ticket-status-waiting-for-user = ждёт ответа пользователя
ticket-status-resolved = решено
ticket-status-closed = закрыто

ticket-category-technical = Техническая поддержка
ticket-category-training = Вопрос об обучении
ticket-category-complaint = Жалоба
ticket-category-personal-data = Запрос о персональных данных
ticket-category-other = Другое

ticket-error-to = Выберите автошколу из списка или оператора портала.
ticket-error-category = Выберите тему обращения.
ticket-error-subject = Напишите кратко, о чём обращение.
ticket-error-subject-long = Сократите до 200 знаков.
ticket-error-body = Напишите сообщение.
ticket-error-body-long = Сообщение длиннее 5000 знаков. Сократите его.
ticket-error-attachment-size = Изображение больше 15 МБ. Выберите файл поменьше.
ticket-error-form = Форма пришла не полностью. Обновите страницу и отправьте ещё раз.
ticket-error-rate = Вы отправили слишком много сообщений за последние 10 минут. Подождите немного и отправьте снова.

ticket-created = Обращение отправлено.
ticket-replied = Ответ отправлен.
ticket-status-changed = Статус изменён.
ticket-status-unchanged = Статус не изменился.
ticket-assigned = Ответственный назначен.
ticket-assign-refused = Назначить можно только сотрудника, который работает с этими обращениями.

mail-ticket-new-subject = Новое обращение: { $subject }
mail-ticket-new-body = Поступило новое обращение «{ $subject }»:

    { $excerpt }

    Личные данные в письме скрыты звёздочками. Откройте портал, чтобы прочитать сообщение полностью.
mail-ticket-new-action = Открыть обращение
mail-ticket-reply-subject = Новый ответ в обращении: { $subject }
mail-ticket-reply-body = В обращении «{ $subject }» новое сообщение:

    { $excerpt }

    Личные данные в письме скрыты звёздочками. Откройте портал, чтобы прочитать сообщение полностью.
mail-ticket-reply-action = Открыть обращение
