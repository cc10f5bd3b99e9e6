"""Flask extensions, created once and initialised in the factory."""
from flask_sqlalchemy import SQLAlchemy

from engine.db import Base

db = SQLAlchemy(model_class=Base)
