"""The web app: every person in a programme does their job in a browser, through the four services' APIs."""
