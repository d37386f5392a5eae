# Administration
admin-title = Администрирование
admin-search = Поиск пользователя
admin-search-hint = ФИО, электронная почта, телефон или ИИН
admin-search-button = Найти
admin-found = { $count ->
    [one] Найден { $count } пользователь
    [few] Найдено { $count } пользователя
    [many] Найдено { $count } пользователей
   *[other] Найдено { $count } пользователя
}
admin-back = ← К поиску
admin-created = зарегистрирован
admin-block = Заблокировать
admin-unblock = Разблокировать
admin-blocked = Аккаунт заблокирован, все его сеансы завершены.
admin-unblocked = Аккаунт разблокирован.
admin-guardian-verified = Согласие законного представителя проверено
admin-guardian-recorded = Согласие законного представителя записано.
status-active = Активен
status-blocked = Заблокирован
