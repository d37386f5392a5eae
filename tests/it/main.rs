//! The one integration-test binary: real PostgreSQL, real HTTP, real Chromium.

mod accounts;
mod admin;
mod applications;
mod browser;
mod calendar;
mod database;
mod errors;
mod geolocation;
mod home;
mod i18n;
mod lessons;
mod lifecycle;
mod limits;
mod mail;
mod moderation;
mod photo_store;
mod photos;
mod privacy;
mod reviews;
mod roles;
mod schools;
mod security;
mod staff_lists;
mod support;
mod theory;
mod tickets;
