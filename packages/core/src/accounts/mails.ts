import { fullName, type User } from './user';

/** The mails accounts send, in French and English (the audience of an open-data portal is both). */
export function confirmationMail(user: Pick<User, 'email' | 'first_name' | 'last_name'>, link: string) {
  return {
    to: user.email,
    subject: 'Confirmez votre adresse email / Confirm your email address',
    text: [
      `Bonjour ${fullName(user)},`,
      '',
      'Pour confirmer votre compte et pouvoir publier, ouvrez ce lien (valable 3 jours, une seule fois) :',
      link,
      '',
      'To confirm your account and be able to publish, open this link (valid for 3 days, once):',
      link,
      '',
      "Si vous n'avez pas créé de compte, ignorez ce message. / If you did not sign up, ignore this message.",
    ].join('\n'),
  };
}

export function passwordResetMail(user: Pick<User, 'email' | 'first_name' | 'last_name'>, link: string) {
  return {
    to: user.email,
    subject: 'Réinitialisation de votre mot de passe / Reset your password',
    text: [
      `Bonjour ${fullName(user)},`,
      '',
      'Pour choisir un nouveau mot de passe, envoyez-le à ce lien (valable 1 heure, une seule fois) :',
      link,
      '',
      'To choose a new password, send it to this link (valid for 1 hour, once):',
      link,
      '',
      "Si vous n'avez rien demandé, ignorez ce message. / If you did not ask for it, ignore this message.",
    ].join('\n'),
  };
}
