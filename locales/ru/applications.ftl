# A school's application to be listed, its review by an administrator, and the school's branches
application-title = Заявка на регистрацию автошколы
application-lead = Заполните сведения об автошколе. Когда администратор проверит БИН и лицензию, автошкола появится в списке, а вы станете её менеджером. О решении мы сообщим письмом на электронную почту.
application-bin-hint = БИН юридического лица, 12 цифр
application-address = Адрес
application-address-hint = Улица, дом, офис
application-licence-hint = Как указано в лицензии
application-phone = Контактный телефон
application-send = Отправить заявку
application-sent = Заявка отправлена. Администратор рассмотрит её и сообщит решение по электронной почте.
application-refused-role = Администраторы и модераторы не могут регистрировать автошколу от своего имени.
application-refused-verify = Чтобы подать заявку, сначала подтвердите электронную почту.
application-refused-staff = Вы работаете в автошколе, поэтому не можете зарегистрировать новую.
application-refused-pending = Ваша заявка на рассмотрении. О решении придёт письмо на электронную почту.
applications-title = Заявки автошкол
applications-none = Нерассмотренных заявок нет.
applications-link = Заявки автошкол
application-applicant = Заявитель
application-filed = Дата подачи
application-approve = Одобрить
application-reject = Отклонить
application-reason = Причина отказа
application-applicant-gone = Аккаунт удалён
application-applicant-gone-approve = Аккаунт заявителя удалён: одобрить заявку нельзя, отклоните её.
application-applicant-role = Роль заявителя не позволяет ему стать менеджером автошколы.
application-applicant-elsewhere = Заявитель работает в другой автошколе, поэтому одобрить заявку нельзя.
application-not-pending = Эта заявка уже рассмотрена.
application-reason-required = Укажите причину отказа.
application-school-approved = Автошкола одобрена, заявитель стал её менеджером.
application-school-rejected = Заявка отклонена, заявителю отправлено письмо.
mail-school-approved-subject = Автошкола зарегистрирована
mail-school-approved-body = Заявка на регистрацию автошколы «{ $school }» одобрена. Автошкола появилась в списке на портале Avtomektep, а вы — её менеджер.

    Откройте страницу автошколы, чтобы создать учебные группы и пригласить сотрудников.
mail-school-approved-action = Открыть страницу автошколы
mail-school-rejected-subject = Заявка на регистрацию автошколы отклонена
mail-school-rejected-body = Заявка на регистрацию автошколы «{ $school }» отклонена.

    Причина: { $reason }

    Вы можете исправить сведения и подать новую заявку.
mail-school-rejected-action = Подать новую заявку
branches-title = Филиалы
branches-none = Филиалы пока не добавлены.
branches-manage = Филиалы
branch-add-title = Добавить филиал
branch-city = Город или населённый пункт
branch-address = Адрес
branch-address-hint = Улица, дом
branch-add = Добавить филиал
branch-remove = Удалить
branch-added = Филиал добавлен.
branch-removed = Филиал удалён.
branch-error-required = Заполните это поле.
branch-error-long = Слишком длинно: не больше 200 символов.
