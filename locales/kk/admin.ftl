# Administration
admin-title = Әкімшілік
admin-search = Пайдаланушыны іздеу
admin-search-hint = Аты-жөні, электрондық пошта, телефон немесе ЖСН
admin-search-button = Іздеу
admin-found = { $count ->
    [one] { $count } пайдаланушы табылды
   *[other] { $count } пайдаланушы табылды
}
admin-back = ← Іздеуге оралу
admin-created = тіркелген күні
admin-block = Бұғаттау
admin-unblock = Бұғаттан шығару
admin-blocked = Аккаунт бұғатталды, оның барлық сеанстары тоқтатылды.
admin-unblocked = Аккаунт бұғаттан шығарылды.
admin-guardian-verified = Заңды өкілдің келісімін тексердім
admin-guardian-recorded = Заңды өкілдің келісімі тіркелді.
status-active = Белсенді
status-blocked = Бұғатталған
