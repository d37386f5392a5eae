# Moderation: content rules (policy §4), reports, the moderators' queue, restrictions
nav-moderation = Модерация

rules-title = Правила публикации
rules-intro = Запрещено публиковать (раздел 4 Политики конфиденциальности):
rules-1 = персональные данные третьих лиц без их согласия — ИИН, номера телефонов, адреса, номера документов;
rules-2 = недостоверную информацию;
rules-3 = пропаганду насилия;
rules-4 = угрозы;
rules-5 = дискриминацию;
rules-6 = контент порнографического характера;
rules-7 = всё, что не относится к учебному процессу.
rules-operator = Оператор вправе скрыть или удалить такой контент без уведомления и ограничить возможность публикации.
rules-policy-link = Политика конфиденциальности, раздел 4

restricted-title = Публикация ограничена
restricted-until = Оператор ограничил вам возможность публикации до { $date } включительно.
restricted-indefinitely = Оператор ограничил вам возможность публикации бессрочно.
restricted-reason = Причина
restricted-what = Пока действует ограничение, нельзя писать и изменять отзывы и отправлять жалобы.
restricted-tickets = Обращения остаются доступны: вы можете написать автошколе или оператору, в том числе запросить сведения о ваших персональных данных или обжаловать ограничение.
restricted-tickets-link = Написать обращение

report-title = Пожаловаться
report-back = ← Назад
report-item = На что вы жалуетесь
report-reason = Причина жалобы
report-reason-choose = Выберите причину
report-reason-personal-data = Персональные данные без согласия
report-reason-false-information = Недостоверная информация
report-reason-violence = Пропаганда насилия
report-reason-threats = Угрозы
report-reason-discrimination = Дискриминация
report-reason-pornography = Порнография
report-reason-unrelated = Не относится к обучению
report-reason-other = Другое
report-note = Комментарий (необязательно)
report-note-hint = До 1000 знаков. Модератор увидит его вместе с жалобой.
report-send = Отправить жалобу
report-error-reason = Выберите причину жалобы.
report-error-note = Комментарий длиннее 1000 знаков.
report-error-too-many = Вы отправили слишком много жалоб за последний час. Попробуйте позже.
report-thanks = Спасибо, жалоба отправлена. Модератор её рассмотрит.
report-already = Вы уже пожаловались на это, модератор рассмотрит жалобу.

moderation-title = Модерация
moderation-lead = Отзывы и сообщения, на которые пожаловались, и отзывы, задержанные из-за похожих на персональные данные сведений. Каждое решение требует причины и записывается в журнал.
moderation-views = Списки модерации
moderation-view-queue = Очередь
moderation-view-hidden = Скрытые
moderation-total = { $count ->
    [one] В списке { $count } запись.
    [few] В списке { $count } записи.
   *[many] В списке { $count } записей.
}
moderation-none = Очередь пуста.
moderation-none-hidden = Скрытых отзывов и сообщений нет.
moderation-author = Автор
moderation-author-gone = аккаунт удалён
moderation-kind-review = Отзыв
moderation-kind-message = Сообщение в обращении
moderation-status-published = опубликован
moderation-status-held = задержан
moderation-status-hidden = скрыт
moderation-status-deleted = удалён
moderation-status-visible = видно участникам
moderation-pd-iin = Похоже, в тексте есть ИИН.
moderation-pd-phone = Похоже, в тексте есть номер телефона.
moderation-pd-email = Похоже, в тексте есть адрес электронной почты.
moderation-pd-id-card = Похоже, в тексте есть номер удостоверения личности.
moderation-pd-passport = Похоже, в тексте есть номер паспорта.
moderation-pd-number = Похоже, в тексте есть номер телефона, документа, карты или счёта.
moderation-reports-count = { $count ->
    [one] { $count } жалоба
    [few] { $count } жалобы
   *[many] { $count } жалоб
}
moderation-reason = Причина решения
moderation-reason-hint = Обязательно. Автор получит её в письме, если отзыв или сообщение скрыто или удалено.
moderation-action-hide = Скрыть
moderation-action-delete = Удалить текст
moderation-action-restore = Восстановить
moderation-action-publish = Опубликовать
moderation-action-keep = Оставить как есть
moderation-restrict-author = Ограничить публикации автора
moderation-until = До (включительно)
moderation-until-hint = Оставьте пустым, чтобы ограничить бессрочно.
moderation-restrict = Ограничить
moderation-restrictions = Действующие ограничения
moderation-restrictions-none = Ограничений нет.
moderation-lift = Снять ограничение
moderation-indefinitely = бессрочно
moderation-error-reason = Укажите причину решения.
moderation-error-reason-long = Причина длиннее 500 знаков.
moderation-error-until-past = Дата окончания ограничения уже прошла.
moderation-error-until-far = Ограничение с датой окончания — не дольше трёх лет; бессрочное оставьте без даты.
moderation-error-staff = Администраторов и модераторов не ограничивают: обратитесь к администратору.
moderation-already = Это уже сделано или больше не применимо.
moderation-done = Решение сохранено.
moderation-restricted = Ограничение установлено.
moderation-lifted = Ограничение снято.
moderation-removed = Удалено модератором: { $reason }

mail-moderated-subject = { $what ->
    [review-hidden] Ваш отзыв скрыт модератором
    [review-deleted] Ваш отзыв удалён модератором
    [message-hidden] Ваше сообщение скрыто модератором
   *[message-deleted] Ваше сообщение удалено модератором
}
mail-moderated-body = { $what ->
    [review-hidden] Модератор портала Avtomektep скрыл ваш отзыв: теперь его видите только вы.
    [review-deleted] Модератор портала Avtomektep удалил текст вашего отзыва.
    [message-hidden] Модератор портала Avtomektep скрыл ваше сообщение в обращении.
   *[message-deleted] Модератор портала Avtomektep удалил текст вашего сообщения в обращении.
} Причина: { $reason }

    Правила публикации — в разделе 4 Политики конфиденциальности. Если вы не согласны с решением, напишите оператору через раздел «Обращения».
mail-moderated-action = Открыть страницу
