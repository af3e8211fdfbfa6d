declare global {
  namespace App {
    interface Locals {
      role: 'host' | 'listener';
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
