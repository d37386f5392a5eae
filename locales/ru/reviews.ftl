# Reviews of schools and instructors
reviews-title = Отзывы
reviews-count = { $count ->
    [one] { $count } отзыв
    [few] { $count } отзыва
   *[many] { $count } отзывов
}
reviews-none = Отзывов пока нет.
reviews-mine-unpublished = Ваши неопубликованные отзывы
reviews-edit = Изменить отзыв
reviews-edited = изменён
reviews-instructor = Инструктор
reviews-report = Пожаловаться
reviews-write = Написать или изменить отзыв об автошколе
reviews-back = ← Назад
reviews-status-published = опубликован
reviews-status-held = на проверке у модератора
reviews-status-hidden = скрыт модератором
reviews-status-deleted = удалён модератором
reviews-held-note = Отзыв не опубликован: похоже, в нём есть { $what }. Модератор проверит его; вы можете изменить отзыв и убрать эти данные.
reviews-hidden-note = Модератор скрыл отзыв, его видите только вы. Причина: { $reason }
reviews-pd-iin = ИИН
reviews-pd-phone = номер телефона
reviews-pd-email = адрес электронной почты
reviews-pd-id-card = номер удостоверения личности
reviews-pd-passport = номер паспорта
reviews-pd-number = номер телефона, документа, карты или счёта
reviews-pd-other = персональные данные
reviews-new-title = Отзыв об автошколе
reviews-edit-title = Изменение отзыва
reviews-school-stars = Оценка автошколы
reviews-stars-5 = 5 — отлично
reviews-stars-4 = 4 — хорошо
reviews-stars-3 = 3 — удовлетворительно
reviews-stars-2 = 2 — плохо
reviews-stars-1 = 1 — очень плохо
reviews-instructor-choose = Инструктор (необязательно)
reviews-instructor-hint = Можно оценить инструктора, с которым у вас были проведённые занятия.
reviews-instructor-none = Без оценки инструктора
reviews-instructor-stars = Оценка инструктора
reviews-body = Ваш отзыв
reviews-body-hint = До 3000 знаков. Не указывайте ИИН, телефоны, адреса и другие персональные данные: такой отзыв не будет опубликован, пока его не проверит модератор.
reviews-publish = Опубликовать отзыв
reviews-save = Сохранить изменения
reviews-error-stars = Оцените автошколу от 1 до 5.
reviews-error-instructor = Выберите инструктора из списка.
reviews-error-instructor-stars = Оцените инструктора от 1 до 5.
reviews-error-body = Напишите текст отзыва.
reviews-error-body-long = Отзыв длиннее 3000 знаков.
reviews-error-too-many = Слишком много отзывов и изменений за последний час. Попробуйте позже.
reviews-held = Отзыв сохранён, но не опубликован: похоже, в нём есть { $what }. Публиковать персональные данные других людей нельзя (раздел 4 Политики), поэтому отзыв проверит модератор. Вы можете изменить его и убрать эти данные.
reviews-published = Спасибо, отзыв опубликован.
reviews-already = Вы уже оставили отзыв об этом обучении — его можно изменить.
reviews-not-enrolled-title = Отзыв пока нельзя оставить
reviews-not-enrolled = Отзыв может оставить тот, кто учится или учился в автошколе: заявка должна быть принята.
reviews-locked-title = Отзыв нельзя изменить
